using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace ConfigManager.Plugins.AzKeyVault;

/// <summary>
/// One SecretClient per vault, sharing one DefaultAzureCredential. Production: https://{vault}.vault.azure.net.
/// CONFIGMANAGER_AZKVSECRET_DNS_SUFFIX replaces vault.azure.net (sovereign clouds: vault.azure.cn,
/// vault.usgovcloudapi.net); CONFIGMANAGER_AZKVSECRET_ENDPOINT is a full URI template ('{vault}' replaced by
/// the token's vault) for private endpoints and local servers; CONFIGMANAGER_AZKVSECRET_SKIP_CHALLENGE_RESOURCE_CHECK=true
/// lets such an endpoint's host differ from the domain its bearer challenge names.
/// </summary>
internal sealed class SecretClientFactory
{
    public const string EndpointVariable = "CONFIGMANAGER_AZKVSECRET_ENDPOINT";
    public const string DnsSuffixVariable = "CONFIGMANAGER_AZKVSECRET_DNS_SUFFIX";
    public const string SkipResourceCheckVariable = "CONFIGMANAGER_AZKVSECRET_SKIP_CHALLENGE_RESOURCE_CHECK";
    private const string DefaultDnsSuffix = "vault.azure.net";

    private readonly string _endpointTemplate;
    private readonly string? _dnsSuffix;
    private readonly bool _skipResourceCheck;
    private readonly Lazy<TokenCredential> _credential;
    private readonly ConcurrentDictionary<string, SecretClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public SecretClientFactory(string? endpointTemplate, string? dnsSuffix, bool skipResourceCheck = false, Func<TokenCredential>? credential = null)
    {
        _skipResourceCheck = skipResourceCheck;
        _dnsSuffix = !string.IsNullOrWhiteSpace(endpointTemplate) ? null : string.IsNullOrWhiteSpace(dnsSuffix) ? DefaultDnsSuffix : dnsSuffix.Trim().Trim('.');
        _endpointTemplate = _dnsSuffix is null ? endpointTemplate!.Trim().TrimEnd('/') : $"https://{{vault}}.{_dnsSuffix}";
        if (!Uri.TryCreate(_endpointTemplate.Replace("{vault}", "vault", StringComparison.Ordinal), UriKind.Absolute, out var probe) || probe.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{KeyVaultErrorCodes.BadSetting}: {EndpointVariable}/{DnsSuffixVariable} give '{_endpointTemplate}', which is not an https URI (Key Vault only speaks HTTPS).");
        }

        // AZURE_TOKEN_CREDENTIALS, AZURE_CLIENT_ID, AZURE_TENANT_ID, ... are read by DefaultAzureCredential itself.
        _credential = new Lazy<TokenCredential>(credential ?? (() => new DefaultAzureCredential()));
    }

    public static SecretClientFactory FromEnvironment(Func<TokenCredential>? credential = null) =>
        new(
            Environment.GetEnvironmentVariable(EndpointVariable),
            Environment.GetEnvironmentVariable(DnsSuffixVariable),
            string.Equals(Environment.GetEnvironmentVariable(SkipResourceCheckVariable), "true", StringComparison.OrdinalIgnoreCase),
            credential);

    /// <summary>
    /// The vault a secret URI (a Key Vault reference's) names, or null when its host is not a vault this plugin may
    /// send its token to: https://{vault}.{DNS suffix}, or with an endpoint override any https host (the override serves it).
    /// </summary>
    public string? VaultNameOf(Uri secretUri)
    {
        if (secretUri.Scheme != Uri.UriSchemeHttps || !secretUri.IsDefaultPort && _dnsSuffix is not null)
        {
            return null;
        }

        var dot = secretUri.IdnHost.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        var vault = secretUri.IdnHost[..dot];
        return _dnsSuffix is null || secretUri.IdnHost[(dot + 1)..].Equals(_dnsSuffix, StringComparison.OrdinalIgnoreCase) ? vault : null;
    }

    public Uri VaultUri(string vault) => new(_endpointTemplate.Replace("{vault}", vault, StringComparison.Ordinal) + "/");

    public SecretClient For(string vault) => _clients.GetOrAdd(vault, name =>
    {
        // The challenge check wants the vault host under the resource's domain (x.vault.azure.net); an endpoint
        // reached by another name (a local server, a proxy) needs it off, which only an explicit setting does.
        var options = new SecretClientOptions { DisableChallengeResourceVerification = _skipResourceCheck };
        // One retry policy for every store plugin: StoreCall (KeyVaultSecretReader) retries and honours the server's
        // delay; Azure.Core's own policy is off so the two never multiply. The per-try network timeout stays as a backstop.
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        return new SecretClient(VaultUri(name), _credential.Value, options);
    });
}
