namespace ConfigManager.Plugins.AwsParamStore;

/// <summary>AWSPARAMSTR's own error codes (CM2210-CM2219); the shared AWS ones are CM2220-CM2229 (AwsErrorCodes).</summary>
internal static class ParamStoreErrorCodes
{
    /// <summary>No such parameter, or not in that version or label (GetParameters' InvalidParameters).</summary>
    public const string NotFound = "CM2210";

    /// <summary>The token's name or metadata is malformed.</summary>
    public const string BadToken = "CM2211";

    /// <summary>A plugin setting (CONFIGMANAGER_AWSPARAMSTR_BATCHING, CONFIGMANAGER_AWSPARAMSTR_BATCH_WINDOW_MS) has a value it cannot use.</summary>
    public const string BadSetting = "CM2212";
}
