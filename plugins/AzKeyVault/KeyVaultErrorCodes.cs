namespace ConfigManager.Plugins.AzKeyVault;

/// <summary>The AZKVSECRET plugin's error codes (CM229x), the first word of every error it returns; see docs/plugins-azure.md.</summary>
internal static class KeyVaultErrorCodes
{
    /// <summary>A CONFIGMANAGER_AZKVSECRET_* variable is unusable.</summary>
    public const string BadSetting = "CM2290";

    /// <summary>The token's vault/secret name or metadata is malformed.</summary>
    public const string BadToken = "CM2291";

    /// <summary>No Azure credential could be obtained (every source of DefaultAzureCredential failed, or sign-in was refused).</summary>
    public const string NoCredential = "CM2292";

    /// <summary>The vault rejected the bearer token (401).</summary>
    public const string Unauthorized = "CM2293";

    /// <summary>The identity may not read the secret (403): role or access policy missing.</summary>
    public const string Forbidden = "CM2294";

    /// <summary>No such secret or version (404).</summary>
    public const string NotFound = "CM2295";

    /// <summary>The secret (version) is disabled, or not yet valid / expired.</summary>
    public const string Disabled = "CM2296";

    /// <summary>Throttled (429), server errors (5xx), timeouts: gave up after the retries.</summary>
    public const string Unavailable = "CM2297";

    /// <summary>The vault host does not resolve or cannot be connected to.</summary>
    public const string Unreachable = "CM2298";
}
