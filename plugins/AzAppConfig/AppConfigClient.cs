using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>
/// One GET /kv/{key} against the App Configuration REST API, signed with the connection string's access key (HMAC)
/// or carrying an Entra ID token from DefaultAzureCredential; every failure becomes a coded <see cref="StoreException"/>
/// naming the store, key and label (never a value). Retrying is the caller's (<see cref="StoreCall"/>).
/// </summary>
internal sealed class AppConfigClient(AppConfigSettings settings, Lazy<TokenCredential> credential, HttpClient http, TimeProvider time) : IDisposable
{
    public const string ApiVersion = "1.0";
    private const string KeyValueMediaType = "application/vnd.microsoft.appconfig.kv+json";

    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private readonly Dictionary<string, AccessToken> _tokens = new(StringComparer.Ordinal);

    public async Task<AppConfigKeyValue> GetAsync(AppConfigTokenPath path, CancellationToken attempt, CancellationToken caller)
    {
        var storeUri = settings.StoreUri(path.Store);
        var accessKey = settings.AccessKeyFor(storeUri);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(storeUri, path.RequestPath()));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(KeyValueMediaType));
        if (path.AcceptedDateTime is { } at)
        {
            request.Headers.Add("Accept-Datetime", at.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));
        }

        if (path.Etag is { } etag)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", Quoted(etag));
        }

        if (path.IfMatch is { } ifMatch)
        {
            request.Headers.TryAddWithoutValidation("If-Match", Quoted(ifMatch));
        }

        try
        {
            if (accessKey is not null)
            {
                HmacRequestSigner.Sign(request, accessKey.Id, accessKey.Secret, time.GetUtcNow());
            }
            else
            {
                if (storeUri.Scheme != Uri.UriSchemeHttps)
                {
                    throw new StoreException(StoreFailureKind.Misconfigured,
                        $"{AppConfigErrorCodes.BadSetting}: store endpoint {storeUri} is not https, and an Entra ID token is only sent over https",
                        $"Use an https endpoint, or set {AppConfigSettings.ConnectionStringVariable} for this store.");
                }

                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(settings.Scope(storeUri), path, storeUri, attempt).ConfigureAwait(false));
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(attempt).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK
                ? Parse(body, path, storeUri)
                : throw AppConfigFailures.Of(response, body, path, storeUri, accessKey is not null, settings);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            throw new StoreException(StoreFailureKind.Misconfigured,
                $"{AppConfigErrorCodes.StoreUnreachable}: store {path.Store} ({storeUri.Host}) does not resolve, reading {path.Describe()}",
                $"Check the store name in the token, the DNS/private endpoint, and {AppConfigSettings.EndpointVariable}/{AppConfigSettings.DnsSuffixVariable}.", innerException: ex);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new StoreException(StoreFailureKind.Unavailable,
                $"{AppConfigErrorCodes.StoreUnreachable}: store {storeUri} could not be reached for {path.Describe()} ({ex.HttpRequestError}: {ex.Message.TrimEnd('.')})",
                "Check that the store is reachable from this machine (proxy, firewall, private endpoint, TLS trust).", innerException: ex);
        }
        catch (OperationCanceledException ex) when (!caller.IsCancellationRequested)
        {
            throw new StoreException(StoreFailureKind.Timeout,
                $"{AppConfigErrorCodes.Unavailable}: store {storeUri} did not answer in time for {path.Describe()}",
                "Check that the store is reachable from this machine (proxy, firewall, private endpoint).", innerException: ex);
        }
    }

    public Uri StoreUriOf(AppConfigTokenPath path) => settings.StoreUri(path.Store);

    public void Dispose()
    {
        _tokenGate.Dispose();
        http.Dispose();
    }

    private async Task<string> TokenAsync(string scope, AppConfigTokenPath path, Uri storeUri, CancellationToken cancellationToken)
    {
        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGetValue(scope, out var cached) && cached.ExpiresOn > time.GetUtcNow().AddMinutes(5))
            {
                return cached.Token;
            }

            var token = await credential.Value.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            _tokens[scope] = token;
            return token.Token;
        }
        catch (CredentialUnavailableException ex)
        {
            throw new StoreException(StoreFailureKind.Misconfigured,
                $"{AppConfigErrorCodes.NoCredential}: no Azure credential for store {storeUri} ({path.Describe()}): {ex.Message.TrimEnd('.')}",
                $"Sign in (az login), or set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret, certificate or federated token, run with a managed identity, or set {AppConfigSettings.ConnectionStringVariable}.");
        }
        catch (AuthenticationFailedException ex)
        {
            throw new StoreException(StoreFailureKind.AccessDenied,
                $"{AppConfigErrorCodes.NoCredential}: Azure sign-in for store {storeUri} ({path.Describe()}, scope {scope}) failed: {ex.Message.TrimEnd('.')}",
                $"Check the credential's tenant, client id and secret/certificate, and {AppConfigSettings.AudienceVariable} for sovereign clouds.");
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    private static AppConfigKeyValue Parse(byte[] body, AppConfigTokenPath path, Uri storeUri)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("key", out _))
            {
                return new AppConfigKeyValue(
                    root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty,
                    root.TryGetProperty("content_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null,
                    root.TryGetProperty("etag", out var etag) && etag.ValueKind == JsonValueKind.String ? etag.GetString() : null);
            }
        }
        catch (JsonException)
        {
            // Said below without the body, which could be anything (a proxy's page, or the value itself).
        }

        throw new StoreException(StoreFailureKind.Unavailable,
            $"{AppConfigErrorCodes.Unavailable}: store {storeUri} answered {path.Describe()} with something that is not a key-value",
            "Check that the endpoint is an App Configuration store and not a proxy or captive portal.");
    }

    private static string Quoted(string etag) => etag.StartsWith('"') || etag == "*" ? etag : $"\"{etag}\"";
}
