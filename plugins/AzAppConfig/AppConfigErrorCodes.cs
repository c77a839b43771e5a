namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>The AZAPPCONF plugin's error codes (CM230x), the first word of every error it returns; see docs/plugins-azure.md.</summary>
internal static class AppConfigErrorCodes
{
    /// <summary>A setting is unusable: endpoint/DNS suffix/audience variable, or the connection string.</summary>
    public const string BadSetting = "CM2300";

    /// <summary>The token's store/key or metadata is malformed.</summary>
    public const string BadToken = "CM2301";

    /// <summary>No Entra ID credential could be obtained (DefaultAzureCredential found none, or sign-in was refused).</summary>
    public const string NoCredential = "CM2302";

    /// <summary>The store rejected the HMAC signature / access key or the bearer token (401).</summary>
    public const string Unauthorized = "CM2303";

    /// <summary>The identity may not read key-values (403): App Configuration Data Reader missing, or local auth disabled.</summary>
    public const string Forbidden = "CM2304";

    /// <summary>No such key with that label (at that time) (404).</summary>
    public const string KeyNotFound = "CM2305";

    /// <summary>The store's host does not resolve or cannot be connected to.</summary>
    public const string StoreUnreachable = "CM2306";

    /// <summary>A conditional read did not return a value: etag unchanged (304) or changed (412).</summary>
    public const string EtagCondition = "CM2307";

    /// <summary>Throttled (429), server errors (5xx), timeouts or a reply that is not a key-value.</summary>
    public const string Unavailable = "CM2308";

    /// <summary>The value is a Key Vault reference that could not be followed.</summary>
    public const string KeyVaultReference = "CM2309";
}
