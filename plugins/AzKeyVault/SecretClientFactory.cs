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
    public const int MaxRetries = 4;
    private const string DefaultDnsSuffix = "vault.azure.net";

    private readonly string _endpointTemplate;
    private readonly bool _skipResourceCheck;
    private readonly Lazy<TokenCredential> _credential;
    private readonly ConcurrentDictionary<string, SecretClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public SecretClientFactory(string? endpointTemplate, string? dnsSuffix, bool skipResourceCheck = false, Func<TokenCredential>? credential = null)
    {
        _skipResourceCheck = skipResourceCheck;
        _endpointTemplate = !string.IsNullOrWhiteSpace(endpointTemplate)
            ? endpointTemplate.Trim().TrimEnd('/')
            : $"https://{{vault}}.{(string.IsNullOrWhiteSpace(dnsSuffix) ? DefaultDnsSuffix : dnsSuffix.Trim().Trim('.'))}";
        if (!Uri.TryCreate(_endpointTemplate.Replace("{vault}", "vault", StringComparison.Ordinal), UriKind.Absolute, out var probe) || probe.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{EndpointVariable}/{DnsSuffixVariable} give '{_endpointTemplate}', which is not an https URI (Key Vault only speaks HTTPS).");
        }

        // AZURE_TOKEN_CREDENTIALS, AZURE_CLIENT_ID, AZURE_TENANT_ID, ... are read by DefaultAzureCredential itself.
        _credential = new Lazy<TokenCredential>(credential ?? (() => new DefaultAzureCredential()));
    }

    public static SecretClientFactory FromEnvironment() =>
        new(
            Environment.GetEnvironmentVariable(EndpointVariable),
            Environment.GetEnvironmentVariable(DnsSuffixVariable),
            string.Equals(Environment.GetEnvironmentVariable(SkipResourceCheckVariable), "true", StringComparison.OrdinalIgnoreCase));

    public Uri VaultUri(string vault) => new(_endpointTemplate.Replace("{vault}", vault, StringComparison.Ordinal) + "/");

    public SecretClient For(string vault) => _clients.GetOrAdd(vault, name =>
    {
        // The challenge check wants the vault host under the resource's domain (x.vault.azure.net); an endpoint
        // reached by another name (a local server, a proxy) needs it off, which only an explicit setting does.
        var options = new SecretClientOptions { DisableChallengeResourceVerification = _skipResourceCheck };
        // Azure.Core's retry policy is the only one: it honours Retry-After, retry-after-ms and x-ms-retry-after-ms
        // on 408/429/5xx and network errors; bounded so the last attempt ends well inside the host's 60 s call timeout.
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        return new SecretClient(VaultUri(name), _credential.Value, options);
    });
}
