using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>
/// configmanager's GCPSECRETS semantics: the secret version's payload as text. Reads
/// <c>GET /v1/projects/P/secrets/S/versions/V:access</c> over REST, base64-decodes <c>payload.data</c> and checks
/// <c>payload.dataCrc32c</c> (CRC32C) when the server sends it. Each access runs under the SDK's StoreCall: 429
/// (RESOURCE_EXHAUSTED), 5xx (UNAVAILABLE), connection failures and a CRC32C mismatch are retried with backoff, a
/// bounded number of times. Key lookup into JSON payloads is the host's job.
/// </summary>
internal sealed class SecretManagerTokenStore(GcpSettings settings, GoogleAccessTokenSource credential, HttpClient http, StoreRetryOptions retry) : ITokenStore
{
    public async Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var name = SecretVersionName.Parse(token, metadata);
        return await StoreCall.RunAsync(attempt => AccessAsync(name, attempt), retry, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> AccessAsync(SecretVersionName name, CancellationToken cancellationToken)
    {
        var accessToken = await credential.GetAsync(cancellationToken).ConfigureAwait(false);
        var url = $"{settings.Endpoint}/v1/projects/{Uri.EscapeDataString(name.Project)}/secrets/{Uri.EscapeDataString(name.Secret)}/versions/{Uri.EscapeDataString(name.Version)}:access";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new StoreException(StoreFailureKind.Unavailable, $"{GcpErrorCodes.Unavailable}: GCPSECRETS token '{name}': cannot reach Secret Manager at {settings.Endpoint} ({ex.Message.TrimEnd('.')})",
                $"Check the network and {GcpSettings.EndpointVariable}", innerException: ex);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new StoreException(StoreFailureKind.Timeout, $"{GcpErrorCodes.Unavailable}: GCPSECRETS token '{name}': Secret Manager at {settings.Endpoint} did not answer in time",
                "Check the network and that the endpoint is reachable from this machine", innerException: ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(name, response, text);
            }

            return Payload(name, text);
        }
    }

    private static string Payload(SecretVersionName name, string text)
    {
        byte[] data;
        long? expected = null;
        try
        {
            using var json = JsonDocument.Parse(text);
            var payload = json.RootElement.GetProperty("payload");
            data = payload.TryGetProperty("data", out var encoded) && encoded.GetString() is { } base64 ? Convert.FromBase64String(base64) : [];
            if (payload.TryGetProperty("dataCrc32c", out var sent))
            {
                // int64 fields travel as JSON strings in Google's REST mapping; accept a number too.
                expected = sent.ValueKind == JsonValueKind.String ? long.Parse(sent.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture) : sent.GetInt64();
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new GcpException(GcpErrorCodes.BadReply, $"GCPSECRETS token '{name}': Secret Manager's reply has no valid payload.data");
        }

        var actual = Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
        if (expected is { } crc && crc != actual)
        {
            // Corrupted in transit: another attempt reads it again.
            throw new StoreException(StoreFailureKind.Unavailable,
                $"{GcpErrorCodes.BadReply}: GCPSECRETS token '{name}': the payload's CRC32C ({actual}) does not match the server's dataCrc32c ({crc}): the value was corrupted in transit",
                "Run again; if it persists, check proxies between this machine and Secret Manager");
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new GcpException(GcpErrorCodes.BadReply, $"GCPSECRETS token '{name}': the secret's payload is not UTF-8 text (binary secrets cannot go into a config file)");
        }
    }

    private StoreException Failure(SecretVersionName name, HttpResponseMessage response, string text)
    {
        var status = response.StatusCode;
        var (message, state) = GoogleError(text);
        var detail = $"HTTP {(int)status} {state}{(message is null ? string.Empty : ": " + message)}".TrimEnd();
        var prefix = $"GCPSECRETS token '{name}'";
        return status switch
        {
            HttpStatusCode.Forbidden => new StoreException(StoreFailureKind.AccessDenied,
                $"{GcpErrorCodes.PermissionDenied}: {prefix}: Secret Manager denied access ({detail})",
                $"Grant {credential.Principal} roles/secretmanager.secretAccessor on {name.SecretName} (or its project), e.g. gcloud secrets add-iam-policy-binding {name.Secret} --project {name.Project} --role roles/secretmanager.secretAccessor --member serviceAccount:EMAIL"),
            HttpStatusCode.Unauthorized => new StoreException(StoreFailureKind.AccessDenied,
                $"{GcpErrorCodes.AuthFailed}: {prefix}: Secret Manager did not accept the access token of {credential.Principal} ({detail})", "Check the credentials"),
            HttpStatusCode.NotFound => new StoreException(StoreFailureKind.NotFound,
                $"{GcpErrorCodes.NotFound}: {prefix}: no such secret or version ({detail})", "Check the project, the secret name and the version"),
            HttpStatusCode.BadRequest when state == "FAILED_PRECONDITION" => new StoreException(StoreFailureKind.NotFound,
                $"{GcpErrorCodes.NotFound}: {prefix}: the version is not enabled ({detail})", "Enable it or ask for another [version=N]"),
            HttpStatusCode.TooManyRequests => new StoreException(StoreFailureKind.Throttled,
                $"{GcpErrorCodes.Unavailable}: {prefix}: Secret Manager throttled the access ({detail})", "Retry later or raise the project's Secret Manager quota",
                StoreHttp.RetryAfter(response)),
            >= HttpStatusCode.InternalServerError => new StoreException(StoreFailureKind.Unavailable,
                $"{GcpErrorCodes.Unavailable}: {prefix}: Secret Manager is unavailable ({detail})", "Retry later", StoreHttp.RetryAfter(response)),
            _ => new StoreException(StoreFailureKind.InvalidRequest, $"{GcpErrorCodes.BadReply}: {prefix}: Secret Manager refused the access ({detail})"),
        };
    }

    /// <summary>Google's error body <c>{"error":{"code","message","status"}}</c>: its message and status, when present.</summary>
    private static (string? Message, string Status) GoogleError(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (error.TryGetProperty("message", out var m) ? m.GetString() : null, error.TryGetProperty("status", out var s) ? s.GetString() ?? string.Empty : string.Empty);
            }
        }
        catch (JsonException)
        {
            // Not Google's JSON error shape.
        }

        return (null, string.Empty);
    }
}
