using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>
/// An OAuth access token for Secret Manager, fetched once and reused until a minute before it expires, from the first
/// Application Default Credentials source that applies: the GOOGLE_APPLICATION_CREDENTIALS file (see
/// <see cref="CredentialFile"/>), else the GCE/GKE metadata server (GCE_METADATA_HOST). Throttled or unavailable token
/// endpoints fail as transient <see cref="StoreException"/>s (the caller's StoreCall retries them). Tokens, keys and
/// refresh tokens never reach a message.
/// </summary>
internal sealed class GoogleAccessTokenSource(GcpSettings settings, HttpClient http)
{
    private const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CredentialFile? _file;
    private string? _token;
    private DateTimeOffset _refreshAt;

    /// <summary>Who the calls run as, for "grant roles/secretmanager.secretAccessor to ..." messages.</summary>
    public string Principal { get; private set; } = "the plugin's Google credentials";

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is null || DateTimeOffset.UtcNow >= _refreshAt)
            {
                var (token, lifetime) = settings.CredentialsFile is { } path
                    ? await FromFileAsync(_file ??= CredentialFile.Read(path), cancellationToken).ConfigureAwait(false)
                    : await FromMetadataServerAsync(cancellationToken).ConfigureAwait(false);
                _token = token;
                _refreshAt = DateTimeOffset.UtcNow + (lifetime > TimeSpan.FromMinutes(2) ? lifetime - TimeSpan.FromMinutes(1) : lifetime / 2);
            }

            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> FromFileAsync(CredentialFile file, CancellationToken cancellationToken)
    {
        Principal = file.Principal;
        var root = file.Root;
        string Text(string name) => CredentialFile.Text(root, name)!;
        switch (file.Type)
        {
            case "service_account":
                var assertion = ServiceAccountAssertion.Create(Text("client_email"), file.TokenUri, CredentialFile.Text(root, "private_key_id"), Text("private_key"), file.Path);
                return await PostFormAsync(file.TokenUri, [new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), new("assertion", assertion)],
                    $"the token endpoint {file.TokenUri} ({file.Principal})", "check that the key is current (not deleted or disabled) and the account exists", cancellationToken).ConfigureAwait(false);
            case "authorized_user":
                return await PostFormAsync(file.TokenUri,
                    [new("grant_type", "refresh_token"), new("client_id", Text("client_id")), new("client_secret", Text("client_secret")), new("refresh_token", Text("refresh_token"))],
                    $"the token endpoint {file.TokenUri} (gcloud user credentials)", "run gcloud auth application-default login again (the refresh token was revoked or expired)", cancellationToken).ConfigureAwait(false);
            default:
                return await FromExternalAccountAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> FromExternalAccountAsync(CredentialFile file, CancellationToken cancellationToken)
    {
        var root = file.Root;
        var subject = await ExternalSubjectToken.ReadAsync(file, http, cancellationToken).ConfigureAwait(false);
        var sts = await PostFormAsync(file.TokenUri,
            [
                new("grant_type", TokenExchange), new("audience", CredentialFile.Text(root, "audience")!), new("scope", ServiceAccountAssertion.Scope),
                new("requested_token_type", "urn:ietf:params:oauth:token-type:access_token"), new("subject_token", subject),
                new("subject_token_type", CredentialFile.Text(root, "subject_token_type")!),
            ],
            $"the security token service {file.TokenUri}", "check the workload identity pool provider's attribute condition and that the subject token is current", cancellationToken).ConfigureAwait(false);
        if (CredentialFile.Text(root, "service_account_impersonation_url") is not { } impersonation)
        {
            return sts;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, impersonation)
        {
            Content = new StringContent($$"""{"scope":["{{ServiceAccountAssertion.Scope}}"],"lifetime":"3600s"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sts.Token);
        return await SendForTokenAsync(request, $"service account impersonation {impersonation}",
            "grant the pool's principal roles/iam.workloadIdentityUser on the service account", cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string Token, TimeSpan Lifetime)> FromMetadataServerAsync(CancellationToken cancellationToken)
    {
        if (settings.SkipMetadataServer)
        {
            throw new GcpException(GcpErrorCodes.NoCredentials, "no Google credentials: GOOGLE_APPLICATION_CREDENTIALS is not set and NO_GCE_CHECK=true turned the metadata server off. Set GOOGLE_APPLICATION_CREDENTIALS to a service-account key, gcloud user credentials or a workload identity federation file, or run on GCE/GKE/Cloud Run");
        }

        Principal = "the metadata server's default service account";
        var url = $"http://{settings.MetadataHost}/computeMetadata/v1/instance/service-accounts/default/token";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Metadata-Flavor", "Google");
        return await SendForTokenAsync(request, $"the metadata server {settings.MetadataHost}", "check the instance's service account and its access scopes", cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string Token, TimeSpan Lifetime)> PostFormAsync(string uri, KeyValuePair<string, string>[] form, string what, string remedy, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        return await SendForTokenAsync(request, what, remedy, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string Token, TimeSpan Lifetime)> SendForTokenAsync(HttpRequestMessage request, string what, string remedy, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (settings.CredentialsFile is null)
        {
            throw new GcpException(GcpErrorCodes.NoCredentials,
                $"no Google credentials: GOOGLE_APPLICATION_CREDENTIALS is not set and {what} cannot be reached ({ex.Message.TrimEnd('.')}). Set GOOGLE_APPLICATION_CREDENTIALS to a service-account key, gcloud user credentials or a workload identity federation file, or run where the metadata server is (GCE_METADATA_HOST)", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new StoreException(StoreFailureKind.Unavailable, $"{GcpErrorCodes.AuthFailed}: cannot reach {what} for a Google access token ({ex.Message.TrimEnd('.')})",
                "Check the network and the token endpoint in GOOGLE_APPLICATION_CREDENTIALS", innerException: ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var (token, lifetime, error) = ParseToken(text);
            var status = (int)response.StatusCode;
            if (status == 429 || status >= 500)
            {
                throw new StoreException(StoreHttp.KindOf(response.StatusCode), $"{GcpErrorCodes.AuthFailed}: getting a Google access token from {what} failed: HTTP {status}", "Retry later", StoreHttp.RetryAfter(response));
            }

            if (!response.IsSuccessStatusCode || token is null)
            {
                throw new GcpException(GcpErrorCodes.AuthFailed, $"getting a Google access token from {what} failed: HTTP {status}{(error is null ? string.Empty : " " + error)}. {char.ToUpperInvariant(remedy[0])}{remedy[1..]}");
            }

            return (token, lifetime);
        }
    }

    /// <summary>OAuth's <c>access_token</c>/<c>expires_in</c>, or IAM Credentials' <c>accessToken</c>/<c>expireTime</c>; and the error text if any.</summary>
    private static (string? Token, TimeSpan Lifetime, string? Error) ParseToken(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var token = CredentialFile.Text(root, "access_token") ?? CredentialFile.Text(root, "accessToken");
            var lifetime = TimeSpan.FromHours(1);
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number)
            {
                lifetime = TimeSpan.FromSeconds(Math.Max(expires.GetDouble(), 1));
            }
            else if (CredentialFile.Text(root, "expireTime") is { } at && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            {
                lifetime = when - DateTimeOffset.UtcNow is var left && left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
            }

            var error = CredentialFile.Text(root, "error_description") ?? CredentialFile.Text(root, "error")
                ?? (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? CredentialFile.Text(e, "message") : null);
            return (token, lifetime, error);
        }
        catch (JsonException)
        {
            // Not JSON (an HTML error page): the status says enough.
            return (null, TimeSpan.Zero, null);
        }
    }
}
