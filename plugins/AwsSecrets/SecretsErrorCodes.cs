namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// The AWSSECRETS plugin's own error codes (CM2200-CM2209), the first word of its errors; failures that are not about
/// one secret (credentials, region, endpoint, access denied, throttling, 5xx) use the shared CM2220-CM2229 of
/// plugins/AwsShared. See docs/plugins-aws.md.
/// </summary>
internal static class SecretsErrorCodes
{
    /// <summary>The token's secret id or metadata is malformed (unknown key, both version and versionid).</summary>
    public const string BadToken = "CM2200";

    /// <summary>No such secret, no version with that stage or id, or the version has no value.</summary>
    public const string NotFound = "CM2201";

    /// <summary>DecryptionFailure: Secrets Manager could not decrypt the secret with its KMS key.</summary>
    public const string DecryptionFailure = "CM2202";

    /// <summary>InvalidRequestException/InvalidParameterException: the secret is marked for deletion, or the stage and version id disagree.</summary>
    public const string InvalidVersion = "CM2203";

    /// <summary>A plugin setting (CONFIGMANAGER_AWSSECRETS_BATCHING, CONFIGMANAGER_AWSSECRETS_BATCH_WINDOW_MS) has a value it cannot use.</summary>
    public const string BadSetting = "CM2204";
}
