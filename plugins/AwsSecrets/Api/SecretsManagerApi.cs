using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConfigManager.Plugins.AwsSecrets.Signing;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsSecrets.Api;

/// <summary>
/// Secrets Manager's JSON 1.1 protocol: <c>POST /</c> with <c>X-Amz-Target: secretsmanager.&lt;Operation&gt;</c> and
/// <c>Content-Type: application/x-amz-json-1.1</c>, signed with SigV4 for service <c>secretsmanager</c>. One attempt per
/// call; failures are <see cref="StoreException"/>s that <see cref="StoreCall"/> retries when transient.
/// </summary>
/// <param name="http">
/// Being made while the plugin starts serving (reading AWS_CA_BUNDLE or the profile's ca_bundle, when set); a bundle
/// that cannot be used faults it with CM2230, which every call then reports.
/// </param>
/// <param name="target">Endpoint, region and credentials.</param>
/// <param name="time">The clock for signing (null: the system's).</param>
internal sealed class SecretsManagerApi(Task<HttpClient> http, SecretsTarget target, TimeProvider? time = null) : IDisposable
{
    private static readonly MediaTypeHeaderValue s_json11 = new("application/x-amz-json-1.1");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>At most this many ids per BatchGetSecretValue (the API's limit).</summary>
    public const int MaxBatchSize = 20;

    public SecretsTarget Target => target;

    public Task<SecretValueEntry> GetSecretValueAsync(SecretRequest request, CancellationToken cancellationToken) =>
        PostAsync(
            "GetSecretValue",
            new GetSecretValueRequest { SecretId = request.SecretId, VersionStage = request.VersionId is null ? request.Stage ?? SecretRequest.CurrentStage : request.Stage, VersionId = request.VersionId },
            SecretsManagerJsonContext.Default.GetSecretValueRequest,
            SecretsManagerJsonContext.Default.SecretValueEntry,
            cancellationToken);

    public Task<BatchGetSecretValueResponse> BatchGetSecretValueAsync(IReadOnlyList<string> secretIds, string? nextToken, CancellationToken cancellationToken) =>
        PostAsync(
            "BatchGetSecretValue",
            new BatchGetSecretValueRequest { SecretIdList = secretIds, NextToken = nextToken },
            SecretsManagerJsonContext.Default.BatchGetSecretValueRequest,
            SecretsManagerJsonContext.Default.BatchGetSecretValueResponse,
            cancellationToken);

    /// <summary>
    /// Does in the background, while the plugin server starts and the host handshakes, what the first call would otherwise
    /// pay for one after the other: AWSSDK.Core's start-up, the endpoint, region and credential chains (profile files),
    /// the JSON serializers, the HTTP client with its CA bundle, and the crypto library's first SHA-256/HMAC (signing a request that is never sent). Nothing is
    /// sent (credential sources that are themselves remote, such as assume-role or SSO, are asked as the first call
    /// would). A failure is dropped: the first real call meets it again and reports it.
    /// </summary>
    public Task WarmUpAsync() => Task.Run(async () =>
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new GetSecretValueRequest { SecretId = "configmanager/warm-up" }, SecretsManagerJsonContext.Default.GetSecretValueRequest);
        _ = TryParse("""{"Name":"configmanager/warm-up","SecretString":""}"""u8.ToArray(), SecretsManagerJsonContext.Default.SecretValueEntry);
        _ = TryParse("""{"__type":"ResourceNotFoundException","message":""}"""u8.ToArray(), SecretsManagerJsonContext.Default.AwsErrorReply);
        try
        {
            var endpoint = await target.EndpointAsync(CancellationToken.None).ConfigureAwait(false);
            var region = await target.RegionAsync(CancellationToken.None).ConfigureAwait(false);
            var credentials = await target.CredentialsAsync(CancellationToken.None).ConfigureAwait(false);
            _ = await http.ConfigureAwait(false);
            using var unsent = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            unsent.Content.Headers.ContentType = s_json11;
            SigV4Signer.Sign(unsent, body, credentials, region, "secretsmanager", _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is AwsSettingException or Amazon.Runtime.AmazonClientException or InvalidOperationException or IOException or ArgumentException or HttpRequestException)
        {
            // Reported by the first GetValue call instead.
        }
    });

    private async Task<TResponse> PostAsync<TRequest, TResponse>(
        string operation, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        Uri? endpoint = null;
        try
        {
            endpoint = await target.EndpointAsync(cancellationToken).ConfigureAwait(false);
            var region = await target.RegionAsync(cancellationToken).ConfigureAwait(false);
            var credentials = await target.CredentialsAsync(cancellationToken).ConfigureAwait(false);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = s_json11;
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + operation);
            SigV4Signer.Sign(request, bytes, credentials, region, "secretsmanager", _time.GetUtcNow());

            var client = await http.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var reply = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = TryParse(reply, SecretsManagerJsonContext.Default.AwsErrorReply);
                var type = ShortType(error?.Type) ?? ShortType(HeaderType(response));
                throw SecretsFailures.FromAws(type, error?.Message, (int)response.StatusCode, StoreHttp.RetryAfter(response, _time));
            }

            return TryParse(reply, responseType) ?? throw SecretsFailures.Create(
                AwsErrorCodes.InvalidRequest,
                StoreFailureKind.InvalidRequest,
                $"{operation} at {endpoint.GetLeftPart(UriPartial.Authority)} returned HTTP {(int)response.StatusCode} with a body that is not Secrets Manager's JSON",
                "Check that AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL point at Secrets Manager.");
        }
        catch (Exception ex) when (AwsFailure.Classify(ex, SecretsFailures.Service, endpoint) is { } failure)
        {
            // Credentials, region and endpoint settings, connection failures: the shared AWS wording.
            throw failure;
        }
    }

    public void Dispose()
    {
        if (http.IsCompletedSuccessfully)
        {
            http.Result.Dispose();
        }
    }

    private static T? TryParse<T>(byte[] json, JsonTypeInfo<T> type)
        where T : class
    {
        if (json.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            // A proxy's HTML page: keep the status only (its text could be anything).
            return null;
        }
    }

    private static string? HeaderType(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault()?.Split(':')[0] : null;

    /// <summary>"com.amazonaws.secretsmanager#ResourceNotFoundException" -> "ResourceNotFoundException".</summary>
    private static string? ShortType(string? type) =>
        string.IsNullOrWhiteSpace(type) ? null : type[(type.LastIndexOf('#') + 1)..].Split(':')[0].Trim();
}
