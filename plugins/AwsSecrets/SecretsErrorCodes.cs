namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// The AWSSECRETS plugin's error codes, the first word of every error it returns (see docs/plugins-aws.md): its own
/// CM2200-CM2209, and the AWS plugins' shared CM2220-CM2229 for failures that are not about one secret.
/// </summary>
internal static class SecretsErrorCodes
{
    /// <summary>The token's secret id or metadata is malformed (unknown key, both version and versionid).</summary>
    public const string BadToken = "CM2200";

    /// <summary>No such secret, no version with that stage or id, or the version has no value.</summary>
    public const string NotFound = "CM2201";

    /// <summary>AccessDeniedException: the identity may not read the secret (secretsmanager:GetSecretValue, kms:Decrypt).</summary>
    public const string AccessDenied = "CM2202";

    /// <summary>DecryptionFailure: Secrets Manager could not decrypt the secret with its KMS key.</summary>
    public const string DecryptionFailure = "CM2203";

    /// <summary>InvalidRequestException/InvalidParameterException: the secret is marked for deletion, or the stage and version id disagree.</summary>
    public const string InvalidSecretRequest = "CM2204";

    /// <summary>The reply was not the JSON Secrets Manager sends.</summary>
    public const string BadReply = "CM2205";

    /// <summary>Shared (AwsShared): the endpoint could not be reached, after the retries.</summary>
    public const string Unreachable = "CM2223";

    /// <summary>Shared (AwsShared): throttled on every attempt.</summary>
    public const string Throttled = "CM2224";

    /// <summary>Shared (AwsShared): the service failed (5xx) on every attempt.</summary>
    public const string ServerError = "CM2226";

    /// <summary>Shared (AwsShared): the credentials were rejected (UnrecognizedClientException, InvalidSignatureException, ExpiredToken).</summary>
    public const string CredentialsRejected = "CM2227";

    /// <summary>Shared (AwsShared): the service refused the request as invalid (ValidationException, other 4xx).</summary>
    public const string InvalidRequest = "CM2228";
}
