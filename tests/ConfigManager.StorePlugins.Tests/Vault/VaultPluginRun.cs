using ConfigManager.TestSupport;

namespace ConfigManager.StorePlugins.Tests.Vault;

/// <summary>
/// Resolves VAULT tokens through Core's PluginHost, which launches the published NativeAOT plugin as a real process
/// that inherits this process's environment: the VAULT_* variables are set for the run only (tests of this folder run
/// one at a time, and no other test reads VAULT_*).
/// </summary>
internal static class VaultPluginRun
{
    private static readonly string[] s_variables =
    [
        "VAULT_ADDR", "VAULT_TOKEN", "VAULT_NAMESPACE", "VAULT_ROLE_ID", "VAULT_SECRET_ID", "VAULT_APPROLE_MOUNT",
        "VAULT_KV_VERSION", "VAULT_CACERT", "VAULT_CAPATH", "VAULT_SKIP_VERIFY",
        "VAULT_K8S_ROLE", "VAULT_K8S_MOUNT", "VAULT_K8S_TOKEN_FILE", "VAULT_JWT_ROLE", "VAULT_JWT", "VAULT_JWT_FILE", "VAULT_JWT_MOUNT",
        "VAULT_AWS_ROLE", "VAULT_AWS_MOUNT", "VAULT_AWS_HEADER_VALUE", "VAULT_AWS_STS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ];

    public static Task<StoreRun> ResolveAsync(
        IReadOnlyList<string> tokens, IReadOnlyDictionary<string, string?> environment, bool autoMtls = true)
        => StorePluginRun.ResolveAsync(
            CSharpPlugin.Vault, tokens, environment.Select(pair => (pair.Key, pair.Value)), s_variables, autoMtls);
}
