using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// One AWSSECRETS token: the secret id (the store path as written: a name, or an ARN from hosts that can send one) and which version. <c>[version=X]</c>
/// is the version stage, as configmanager reads it (default AWSCURRENT); <c>[versionid=ID]</c> is a VersionId (an
/// extension). Comma-separated key=value pairs; configmanager's <c>[version=...]</c> alone stays compatible.
/// </summary>
internal sealed record SecretRequest(string SecretId, string? Stage, string? VersionId)
{
    public const string CurrentStage = "AWSCURRENT";

    /// <summary>Whether BatchGetSecretValue can fetch it: that API has no stage or version selector and returns AWSCURRENT.</summary>
    public bool IsBatchable => VersionId is null && (Stage is null || Stage == CurrentStage);

    public static SecretRequest Parse(string token, string metadata)
    {
        if (token.Length == 0 || token.Trim().Length != token.Length)
        {
            throw Bad(token, "names no secret (or has spaces around it): write AWSSECRETS:///name or AWSSECRETS://name");
        }

        string? stage = null;
        string? versionId = null;
        foreach (var pair in metadata.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals].Trim();
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..].Trim();
            switch (key)
            {
                case "version" when value.Length > 0:
                    stage = value;
                    break;
                case "versionid" when value.Length > 0:
                    versionId = value;
                    break;
                case "version" or "versionid":
                    throw Bad(token, $"[{key}=] has no value: write [version=AWSPREVIOUS] (a stage) or [versionid=<VersionId>]");
                default:
                    throw Bad(token, $"unknown metadata key '{key}' (known: version = a version stage such as AWSPREVIOUS, versionid = a VersionId)");
            }
        }

        if (stage is not null && versionId is not null)
        {
            throw Bad(token, "has both [version=...] and [versionid=...]: give one (a stage or a VersionId)");
        }

        return new SecretRequest(token, stage, versionId);
    }

    /// <summary>The version asked for, for error text: "stage AWSCURRENT", "version id 0a1b...".</summary>
    public string VersionText => VersionId is not null ? $"version id {VersionId}" : $"stage {Stage ?? CurrentStage}";

    private static StoreException Bad(string token, string problem) =>
        AwsFailure.Coded(SecretsErrorCodes.BadToken, new StoreException(StoreFailureKind.InvalidRequest, $"{SecretsErrorCodes.BadToken}: AWSSECRETS token '{token}' {problem}"));
}
