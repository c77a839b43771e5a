using System.Net;
using System.Text.RegularExpressions;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// How AWSSECRETS words a failure. A store failure's description starts with its code (<c>CM2201: ...</c>) so the code
/// survives StoreCall's "gave up after N attempts"; <see cref="ForToken"/> then names the token and adds what to do.
/// </summary>
internal static partial class SecretsFailures
{
    /// <summary>A failure of the API call (not yet naming a token).</summary>
    public static StoreException Create(string code, StoreFailureKind kind, string description, TimeSpan? retryAfter = null) =>
        new(kind, $"{code}: {description}", retryAfter: retryAfter);

    /// <summary>The failure for an AWS JSON error reply (<c>__type</c> or <c>x-amzn-ErrorType</c>) or a bare HTTP status.</summary>
    public static StoreException FromAws(string? errorType, string? message, HttpStatusCode status, TimeSpan? retryAfter)
    {
        var said = errorType is null
            ? $"Secrets Manager answered HTTP {(int)status}"
            : $"Secrets Manager answered {errorType} (HTTP {(int)status})" + (string.IsNullOrWhiteSpace(message) ? string.Empty : ": " + message.Trim());
        return errorType switch
        {
            "ResourceNotFoundException" => Create(SecretsErrorCodes.NotFound, StoreFailureKind.NotFound, said),
            "AccessDeniedException" => Create(SecretsErrorCodes.AccessDenied, StoreFailureKind.AccessDenied, said),
            "DecryptionFailure" => Create(SecretsErrorCodes.DecryptionFailure, StoreFailureKind.AccessDenied, said),
            "InvalidRequestException" or "InvalidParameterException" => Create(SecretsErrorCodes.InvalidSecretRequest, StoreFailureKind.InvalidRequest, said),
            "ThrottlingException" or "TooManyRequestsException" or "RequestLimitExceeded" or "Throttling" =>
                Create(SecretsErrorCodes.Throttled, StoreFailureKind.Throttled, said, retryAfter),
            "InternalServiceError" or "InternalFailure" or "InternalServerError" or "ServiceUnavailable" =>
                Create(SecretsErrorCodes.ServerError, StoreFailureKind.Unavailable, said, retryAfter),
            "UnrecognizedClientException" or "InvalidSignatureException" or "SignatureDoesNotMatch" or "IncompleteSignature"
                or "InvalidClientTokenId" or "ExpiredTokenException" or "ExpiredToken" or "MissingAuthenticationToken" =>
                Create(SecretsErrorCodes.CredentialsRejected, StoreFailureKind.AccessDenied, said),
            _ => (int)status switch
            {
                429 => Create(SecretsErrorCodes.Throttled, StoreFailureKind.Throttled, said, retryAfter),
                >= 500 => Create(SecretsErrorCodes.ServerError, StoreFailureKind.Unavailable, said, retryAfter),
                403 => Create(SecretsErrorCodes.AccessDenied, StoreFailureKind.AccessDenied, said),
                404 => Create(SecretsErrorCodes.NotFound, StoreFailureKind.NotFound, said),
                _ => Create(SecretsErrorCodes.InvalidRequest, StoreFailureKind.InvalidRequest, said),
            },
        };
    }

    /// <summary>
    /// The failure as the build log shows it: <c>CM22xx: AWSSECRETS token 'id' (stage S): what happened. What to do.</c>
    /// Failures without a code (StoreCall's timeouts and connection errors) get the shared one for their kind.
    /// </summary>
    public static StoreException ForToken(StoreException failure, SecretRequest request, SecretsTarget target)
    {
        var match = CodePrefix().Match(failure.Description);
        var code = match.Success ? match.Groups[1].Value : CodeOf(failure.Kind);
        var description = match.Success ? failure.Description[match.Length..] : failure.Description;
        var remedy = Remedy(code, request, target) ?? failure.Remedy;
        return new StoreException(failure.Kind, $"{code}: AWSSECRETS token {request}: {description}", remedy, failure.RetryAfter, failure);
    }

    private static string CodeOf(StoreFailureKind kind) => kind switch
    {
        StoreFailureKind.NotFound => SecretsErrorCodes.NotFound,
        StoreFailureKind.AccessDenied => SecretsErrorCodes.AccessDenied,
        StoreFailureKind.Throttled => SecretsErrorCodes.Throttled,
        StoreFailureKind.Unavailable or StoreFailureKind.Timeout => SecretsErrorCodes.Unreachable,
        _ => SecretsErrorCodes.InvalidRequest,
    };

    private static string? Remedy(string code, SecretRequest request, SecretsTarget target) => code switch
    {
        SecretsErrorCodes.NotFound =>
            $"Check the secret's name or ARN and the region ({target.RegionText}); `aws secretsmanager list-secret-version-ids --secret-id {request.SecretId}` lists its versions and stages.",
        SecretsErrorCodes.AccessDenied =>
            $"Grant the identity secretsmanager:GetSecretValue (and secretsmanager:BatchGetSecretValue, used for batched lookups) on {ResourceArn(request, target)}, and kms:Decrypt on the secret's KMS key if it is a customer managed key.",
        SecretsErrorCodes.DecryptionFailure =>
            "Grant the identity kms:Decrypt on the secret's KMS key (and check that the key is enabled and in this region).",
        SecretsErrorCodes.InvalidSecretRequest =>
            $"Check the stage or version id (`aws secretsmanager describe-secret --secret-id {request.SecretId}`) and that the secret is not scheduled for deletion (`aws secretsmanager restore-secret`).",
        SecretsErrorCodes.Throttled =>
            "Run again later, or raise the Secrets Manager request quota (Service Quotas); batching already keeps calls to one per 20 secrets.",
        SecretsErrorCodes.ServerError => "Run again later (AWS Health Dashboard shows service events).",
        SecretsErrorCodes.Unreachable =>
            $"Check that {target.EndpointText} is reachable from this machine (proxy, firewall, VPC endpoint) and that AWS_REGION / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL are right.",
        SecretsErrorCodes.CredentialsRejected =>
            "Check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN or the AWS_PROFILE): the key is unknown to this region's account, the session expired (refresh it), or the clock is off.",
        SecretsErrorCodes.BadReply => $"Check that {target.EndpointText} is a Secrets Manager endpoint (AWS_ENDPOINT_URL_SECRETS_MANAGER).",
        _ => null,
    };

    private static string ResourceArn(SecretRequest request, SecretsTarget target) =>
        request.SecretId.StartsWith("arn:", StringComparison.Ordinal)
            ? request.SecretId
            : $"arn:aws:secretsmanager:{target.RegionText}:<account>:secret:{request.SecretId}-*";

    [GeneratedRegex(@"^(CM\d{4}): ")]
    private static partial Regex CodePrefix();
}
