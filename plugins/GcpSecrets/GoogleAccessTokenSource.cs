using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>
/// An OAuth access token for Secret Manager, fetched once and reused until a minute before it expires: from a
/// service-account key (GOOGLE_APPLICATION_CREDENTIALS, JWT-bearer grant signed RS256 with the key) or from the GCE/GKE
/// metadata server (GCE_METADATA_HOST). Tokens and keys never reach a message.
/// </summary>
internal sealed class GoogleAccessTokenSource(GcpSettings settings, HttpClient http)
{
    private const string Scope = "https://www.googleapis.com/auth/cloud-platform";
    private const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;

    /// <summary>Who the calls run as, for "grant roles/secretmanager.secretAccessor to ..." messages.</summary>
    public string Principal { get; private set; } = "the plugin's Google credentials";

    /// <summary>How many access tokens were fetched this run.</summary>
    public int FetchCount { get; private set; }

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is null || DateTimeOffset.UtcNow >= _refreshAt)
            {
                var (token, lifetime) = settings.CredentialsFile is { } file
                    ? await FromKeyFileAsync(file, cancellationToken).ConfigureAwait(false)
                    : await FromMetadataServerAsync(cancellationToken).ConfigureAwait(false);
                FetchCount++;
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

    private async Task<(string Token, TimeSpan Lifetime)> FromKeyFileAsync(string file, CancellationToken cancellationToken)
    {
        JsonDocument key;
        try
        {
            key = JsonDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new GcpException(GcpErrorCodes.BadSetting, $"cannot read GOOGLE_APPLICATION_CREDENTIALS file {file}: {(ex is JsonException ? "not JSON" : ex.Message)}. Point it at a service-account key file (gcloud iam service-accounts keys create)");
        }

        using (key)
        {
            var root = key.RootElement;
            var type = Text(root, "type");
            if (type != "service_account")
            {
                throw new GcpException(GcpErrorCodes.UnsupportedCredential,
                    $"GOOGLE_APPLICATION_CREDENTIALS file {file} has type '{type ?? "(none)"}'; this plugin supports 'service_account' keys and the metadata server (external_account and authorized_user files are not supported yet)");
            }

            var email = Text(root, "client_email");
            var pem = Text(root, "private_key");
            if (email is null || pem is null)
            {
                throw new GcpException(GcpErrorCodes.BadSetting, $"service-account key file {file} lacks client_email or private_key: download a new key");
            }

            Principal = $"service account {email}";
            var tokenUri = Text(root, "token_uri") ?? DefaultTokenUri;
            var assertion = SignedAssertion(email, tokenUri, Text(root, "private_key_id"), pem, file);
            using var request = new HttpRequestMessage(HttpMethod.Post, tokenUri)
            {
                Content = new FormUrlEncodedContent(
                [
                    new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                    new("assertion", assertion),
                ]),
            };
            return await SendForTokenAsync(request, $"the token endpoint {tokenUri} (service account {email})", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> FromMetadataServerAsync(CancellationToken cancellationToken)
    {
        if (settings.SkipMetadataServer)
        {
            throw new GcpException(GcpErrorCodes.NoCredentials, "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run on GCE/GKE/Cloud Run (NO_GCE_CHECK=true turned the metadata server off)");
        }

        Principal = "the metadata server's default service account";
        var url = $"http://{settings.MetadataHost}/computeMetadata/v1/instance/service-accounts/default/token";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Metadata-Flavor", "Google");
        return await SendForTokenAsync(request, $"the metadata server {settings.MetadataHost}", cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string Token, TimeSpan Lifetime)> SendForTokenAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new GcpException(GcpErrorCodes.NoCredentials,
                $"no Google credentials: GOOGLE_APPLICATION_CREDENTIALS is {(settings.CredentialsFile is null ? "not set" : "set")} and {what} cannot be reached ({ex.Message}). Set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run where the metadata server is", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            string? token = null;
            double seconds = 3600;
            string? error = null;
            try
            {
                using var json = JsonDocument.Parse(text);
                token = Text(json.RootElement, "access_token");
                error = Text(json.RootElement, "error_description") ?? Text(json.RootElement, "error");
                if (json.RootElement.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number)
                {
                    seconds = expires.GetDouble();
                }
            }
            catch (JsonException)
            {
                // Not JSON (an HTML error page): the status says enough.
            }

            if (!response.IsSuccessStatusCode || token is null)
            {
                throw new GcpException(GcpErrorCodes.AuthFailed,
                    $"getting a Google access token from {what} failed: HTTP {(int)response.StatusCode}{(error is null ? string.Empty : " " + error)}. Check that the key is current (not deleted or disabled) and the account exists");
            }

            return (token, TimeSpan.FromSeconds(Math.Max(seconds, 1)));
        }
    }

    private static string SignedAssertion(string email, string tokenUri, string? keyId, string pem, string file)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Json(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            if (keyId is not null)
            {
                writer.WriteString("kid", keyId);
            }
        });
        var claims = Json(writer =>
        {
            writer.WriteString("iss", email);
            writer.WriteString("scope", Scope);
            writer.WriteString("aud", tokenUri);
            writer.WriteNumber("iat", now);
            writer.WriteNumber("exp", now + 3600);
        });
        var signingInput = Base64Url(header) + "." + Base64Url(claims);
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException)
        {
            throw new GcpException(GcpErrorCodes.BadSetting, $"the private_key of service-account key file {file} is not a PEM RSA key: download a new key");
        }

        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
