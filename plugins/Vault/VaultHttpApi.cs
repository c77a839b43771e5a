using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.Vault;

/// <summary>
/// Vault's HTTP API (<c>/v1/...</c>) with the run's client token: the configured one, or one login (AppRole, Kubernetes, JWT) made once
/// and reused for every call. Sends X-Vault-Namespace when VAULT_NAMESPACE is set; trusts VAULT_CACERT/VAULT_CAPATH.
/// </summary>
internal sealed class VaultHttpApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _loginGate = new(1, 1);
    private readonly Dictionary<string, string> _loginTokens = new(StringComparer.Ordinal);

    public VaultHttpApi(VaultSettings settings)
    {
        Settings = settings;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseCookies = false,
            UseProxy = true,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var trust = LoadTrust(settings);
        if (settings.SkipVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else
        {
            trust?.Apply(handler);
        }

        // Each call runs under StoreCall, whose attempt timeout bounds it; the client's own timeout only guards calls made without one.
        _http = new HttpClient(handler) { BaseAddress = new Uri(settings.Address.AbsoluteUri.TrimEnd('/') + "/v1/"), Timeout = StoreRetryOptions.Default.AttemptTimeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("configmanager-vault-plugin", "1.0"));
    }

    public VaultSettings Settings { get; }

    /// <summary>The configured login, or null when a token is given.</summary>
    public VaultLogin? Login => Settings.Login;

    /// <summary>VAULT_ADDR as messages show it (no trailing '/').</summary>
    public string Address => Settings.Address.AbsoluteUri.TrimEnd('/');

    /// <summary>How many logins this process made (1 at most per run unless the token is refused), for tests and logs.</summary>
    public int LoginCount { get; private set; }

    /// <summary>GET <c>/v1/{apiPath}</c> with the client token (for AWS IAM login, the one of <paramref name="iamRole"/>).</summary>
    public async Task<VaultReply> GetAsync(string apiPath, CancellationToken cancellationToken, string? iamRole = null)
    {
        var token = await ClientTokenAsync(iamRole, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, apiPath);
        request.Headers.Add("X-Vault-Token", token);
        return await SendAsync(request, apiPath, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _http.Dispose();
        _loginGate.Dispose();
    }

    /// <summary>The given token, or the one login's token (one per role for AWS IAM), made once and reused for the run.</summary>
    private async Task<string> ClientTokenAsync(string? iamRole, CancellationToken cancellationToken)
    {
        if (Settings.Token is { } given)
        {
            return given;
        }

        var role = Settings.Login?.Name == VaultLogin.AwsIam ? iamRole ?? Settings.Login.Role : Settings.Login?.Role ?? string.Empty;
        await _loginGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loginTokens.TryGetValue(role, out var token))
            {
                token = await LoginAsync(role, cancellationToken).ConfigureAwait(false);
                _loginTokens[role] = token;
            }

            return token;
        }
        finally
        {
            _loginGate.Release();
        }
    }

    private async Task<string> LoginAsync(string role, CancellationToken cancellationToken)
    {
        if (Settings.Login is not { } login)
        {
            throw new VaultException(VaultErrorCodes.NoCredentials,
                "no Vault credentials: set VAULT_TOKEN (or write ~/.vault-token, e.g. with `vault login`), or log in with AppRole (VAULT_ROLE_ID, VAULT_SECRET_ID), Kubernetes (VAULT_K8S_ROLE), JWT/OIDC (VAULT_JWT_ROLE with VAULT_JWT or VAULT_JWT_FILE) or AWS IAM (VAULT_TOKEN=aws_iam)");
        }

        if (login.Name == VaultLogin.AwsIam && role.Length == 0)
        {
            throw new VaultException(VaultErrorCodes.BadSetting, "VAULT_TOKEN=aws_iam needs a Vault role: add [iam_role=NAME] to the token (configmanager's form) or set VAULT_AWS_ROLE");
        }

        var loginPath = $"auth/{login.Mount}/login";
        using var request = new HttpRequestMessage(HttpMethod.Post, loginPath) { Content = new ByteArrayContent(login.Body(role)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var reply = await SendAsync(request, loginPath, cancellationToken).ConfigureAwait(false);
        LoginCount++;
        var where = $"{login.Name} login at {Address}/v1/{loginPath}";
        if (reply.IsTransient || reply.IsSealed)
        {
            throw new StoreException(reply.IsSealed ? StoreFailureKind.Misconfigured : StoreHttp.KindOf(reply.Status), $"{VaultErrorCodes.LoginFailed}: {where} failed: {reply.ErrorText}",
                reply.IsSealed ? "Unseal Vault (vault operator unseal) and run again" : "Retry later", reply.RetryAfter);
        }

        if (!reply.IsSuccess)
        {
            var hint = reply.Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden
                ? login.RefusedHint
                : $"check that the {login.Name} auth method is enabled at auth/{login.Mount}" + NamespaceHint();
            throw new VaultException(VaultErrorCodes.LoginFailed, $"{where} failed: {reply.ErrorText}. {hint}");
        }

        if (reply.Body is { } root && root.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object
            && auth.TryGetProperty("client_token", out var clientToken) && clientToken.GetString() is { Length: > 0 } token)
        {
            return token;
        }

        throw new VaultException(VaultErrorCodes.BadReply, $"{where} returned no auth.client_token");
    }

    private async Task<VaultReply> SendAsync(HttpRequestMessage request, string apiPath, CancellationToken cancellationToken)
    {
        if (Settings.Namespace is not null)
        {
            request.Headers.Add("X-Vault-Namespace", Settings.Namespace);
        }

        request.Headers.Add("X-Vault-Request", "true");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // An untrusted certificate will not change on retry; a refused or reset connection may.
            var tls = ex.HttpRequestError == HttpRequestError.SecureConnectionError;
            throw new StoreException(
                tls ? StoreFailureKind.Misconfigured : StoreFailureKind.Unavailable,
                $"{VaultErrorCodes.Unavailable}: cannot reach Vault at {Address} ({request.Method} /v1/{apiPath}): {ex.Message.TrimEnd('.')}",
                tls ? "The server's TLS certificate is not trusted: set VAULT_CACERT (or VAULT_CAPATH) to its CA" : "Check VAULT_ADDR and that Vault is running",
                innerException: ex);
        }
        catch (OperationCanceledException ex) when (ex is TaskCanceledException || cancellationToken.IsCancellationRequested)
        {
            throw new StoreException(StoreFailureKind.Timeout, $"{VaultErrorCodes.Unavailable}: Vault at {Address} did not answer {request.Method} /v1/{apiPath} in time",
                "Check VAULT_ADDR and the network between this machine and Vault", innerException: ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonElement? body = null;
            var errors = new List<string>();
            if (text.Length > 0)
            {
                try
                {
                    using var document = JsonDocument.Parse(text);
                    body = document.RootElement.Clone();
                    if (body.Value.ValueKind == JsonValueKind.Object && body.Value.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        errors.AddRange(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
                    }
                }
                catch (JsonException)
                {
                    // A proxy's HTML error page: keep the status only (its text could be anything).
                }
            }

            return new VaultReply(response.StatusCode, body, errors, StoreHttp.RetryAfter(response));
        }
    }

    /// <summary>" (VAULT_NAMESPACE=ns)" or a hint to set it, for not-found/denied messages.</summary>
    public string NamespaceHint() => Settings.Namespace is { } ns
        ? $" (in namespace {ns})"
        : "; if it lives in a Vault Enterprise/HCP namespace, set VAULT_NAMESPACE";

    /// <summary>The CAs of VAULT_CACERT and VAULT_CAPATH's PEM files (the SDK's one custom-CA trust), or null for the system store.</summary>
    private static CustomCaTrust? LoadTrust(VaultSettings settings)
    {
        if (settings.CaCertFile is null && settings.CaCertDirectory is null)
        {
            return null;
        }

        try
        {
            var files = new List<string>();
            if (settings.CaCertFile is not null)
            {
                files.Add(settings.CaCertFile);
            }

            if (settings.CaCertDirectory is not null)
            {
                files.AddRange(Directory.EnumerateFiles(settings.CaCertDirectory).Order(StringComparer.Ordinal)
                    .Where(file => File.ReadAllText(file, Encoding.ASCII).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)));
            }

            return CustomCaTrust.FromPemFiles(files);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new VaultException(VaultErrorCodes.BadSetting, $"cannot read the CA certificates of VAULT_CACERT/VAULT_CAPATH: {ex.Message}", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new VaultException(VaultErrorCodes.BadSetting, "VAULT_CACERT/VAULT_CAPATH hold no PEM certificate: point them at your Vault server's CA certificate", ex);
        }
    }
}
