using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// How AWSSECRETS words a failure: Secrets Manager's own error types get CM2201-CM2203, everything else the shared
/// AWS mapping (<see cref="AwsFailure"/>); <see cref="ForToken"/> names the token, the version asked for and what to do.
/// </summary>
internal static class SecretsFailures
{
    public const string Service = "Secrets Manager";

    /// <summary>The failure for an error reply (<c>__type</c> without namespace, or an <c>Errors</c> entry's ErrorCode).</summary>
    public static StoreException FromAws(string? errorType, string? message, int status, TimeSpan? retryAfter)
    {
        var said = $"{Service} answered {errorType ?? "HTTP " + status}" + (string.IsNullOrWhiteSpace(message) ? string.Empty : ": " + message.Trim().TrimEnd('.'));
        return errorType switch
        {
            "ResourceNotFoundException" => AwsFailure.Coded(SecretsErrorCodes.NotFound, new StoreException(StoreFailureKind.NotFound, said)),
            "DecryptionFailure" => AwsFailure.Coded(SecretsErrorCodes.DecryptionFailure, new StoreException(
                StoreFailureKind.AccessDenied, said, "Grant the identity kms:Decrypt on the secret's KMS key, and check that the key is enabled.")),
            "InvalidRequestException" or "InvalidParameterException" => AwsFailure.Coded(SecretsErrorCodes.InvalidVersion, new StoreException(
                StoreFailureKind.InvalidRequest, said, "Check the stage or version id (aws secretsmanager describe-secret) and that the secret is not scheduled for deletion (aws secretsmanager restore-secret).")),
            _ => AwsFailure.FromErrorReply(status, errorType, message, Service, retryAfter),
        };
    }

    /// <summary>A failure of this plugin's own making (a reply without a value, say) with its code.</summary>
    public static StoreException Create(string code, StoreFailureKind kind, string description, string? remedy = null) =>
        AwsFailure.Coded(code, new StoreException(kind, description, remedy));

    /// <summary><c>CM22xx: AWSSECRETS token 'id': what happened (stage S). What to do.</c></summary>
    public static StoreException ForToken(StoreException failure, SecretRequest request, SecretsTarget target)
    {
        // Which version was asked for matters when the secret answered (not found, denied, invalid), not for settings or the network.
        var asked = failure.Kind is StoreFailureKind.NotFound or StoreFailureKind.AccessDenied or StoreFailureKind.InvalidRequest
            ? new StoreException(failure.Kind, $"{failure.Description} ({request.VersionText})", failure.Remedy, failure.RetryAfter, failure.InnerException)
            : failure;
        var context = new AwsTokenContext(
            "AWSSECRETS",
            request.SecretId,
            "secretsmanager:GetSecretValue (and secretsmanager:BatchGetSecretValue, which batched lookups use)",
            request.SecretId.StartsWith("arn:", StringComparison.Ordinal) ? request.SecretId : $"arn:aws:secretsmanager:{target.RegionText}:<account>:secret:{request.SecretId}-*",
            "AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL",
            ", and kms:Decrypt on its KMS key if it uses a customer managed key",
            $"Check the secret's name or ARN and the region ({target.RegionText}); `aws secretsmanager list-secret-version-ids --secret-id {request.SecretId}` lists its versions and stages.");
        return AwsFailure.ForToken(AwsFailure.Coded(AwsFailure.CodeOf(failure), asked), context);
    }
}
