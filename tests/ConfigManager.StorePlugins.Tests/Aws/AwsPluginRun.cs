using ConfigManager.Core;
using ConfigManager.TestSupport;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// Resolves tokens through Core's PluginHost, which launches a published AWS plugin as a real process that inherits this
/// process's environment: the variables given (moto's or the proxy's PluginEnvironment, a ProxyTrap's, plugin switches)
/// are set for the run only, every other AWS_* credential source removed, and all restored afterwards (tests of this
/// assembly run one at a time).
/// </summary>
internal static class AwsPluginRun
{
    private static readonly string[] s_variables =
    [
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_CA_BUNDLE",
        "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
        "CONFIGMANAGER_AWSPARAMSTR_BATCHING", "CONFIGMANAGER_AWSPARAMSTR_BATCH_WINDOW_MS",
        "CONFIGMANAGER_AWSSECRETS_BATCHING", "CONFIGMANAGER_AWSSECRETS_BATCH_WINDOW_MS",
    ];

    /// <summary>Resolves <paramref name="tokens"/> in one host run; returns the result, every log line, and how many plugin processes were launched.</summary>
    public static Task<StoreRun> ResolveAsync(
        CSharpPlugin plugin,
        IReadOnlyList<string> tokens,
        IEnumerable<(string Name, string? Value)> environment,
        bool autoMtls = true,
        EngineOptions? engine = null)
        => StorePluginRun.ResolveAsync(plugin, tokens, environment, s_variables, autoMtls, engine);
}
