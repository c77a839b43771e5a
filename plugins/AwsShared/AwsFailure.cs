using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsShared;

/// <summary>
/// One mapping of AWS failures to <see cref="StoreFailureKind"/> for both AWS plugins, so <see cref="StoreCall"/>
/// retries throttling (ThrottlingException, TooManyRequestsException, HTTP 429), 5xx and connection failures, and
/// never AccessDenied, not-found or validation errors. <see cref="ForToken"/> then words the final failure for one
/// token with its CM22xx code, the token's path and what to do.
/// </summary>
public static class AwsFailure
{
    private const string CodeKey = "ConfigManager.Aws.Code";

    private static readonly HashSet<string> s_throttles = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "ThrottledException",
        "RequestThrottled", "RequestThrottledException", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    private static readonly HashSet<string> s_denied = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "KMSAccessDeniedException",
    };

    private static readonly HashSet<string> s_rejected = new(StringComparer.Ordinal)
    {
        "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "InvalidClientTokenId",
        "ExpiredToken", "ExpiredTokenException", "IncompleteSignature", "MissingAuthenticationToken", "RequestExpired",
    };

    private static readonly HashSet<string> s_server = new(StringComparer.Ordinal)
    {
        "InternalServerError", "InternalFailure", "InternalServiceError", "InternalServerErrorException", "ServiceUnavailable", "ServiceUnavailableException",
    };

    /// <summary>The failure an AWS error reply stands for (HttpClient-based plugins parse <c>__type</c> and <c>message</c> themselves).</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="errorType">The error's type (<c>__type</c> without its namespace, or the SDK's ErrorCode), or null.</param>
    /// <param name="message">The service's message (never contains a value), or null.</param>
    /// <param name="service">The service's name for the text: <c>SSM</c>, <c>Secrets Manager</c>.</param>
    /// <param name="retryAfter">A Retry-After the service sent, or null.</param>
    public static StoreException FromErrorReply(int status, string? errorType, string? message, string service, TimeSpan? retryAfter = null)
    {
        var type = ShortType(errorType);
        var detail = type is null ? $"HTTP {status}" : $"{type}, HTTP {status}";
        if (!string.IsNullOrWhiteSpace(message))
        {
            detail += ": " + message.Trim().TrimEnd('.');
        }

        if ((type is not null && s_throttles.Contains(type)) || status == 429)
        {
            return Coded(AwsErrorCodes.Throttled, new StoreException(StoreFailureKind.Throttled, $"{service} throttled the request ({detail})", retryAfter: retryAfter));
        }

        if (type is not null && s_rejected.Contains(type))
        {
            return Coded(AwsErrorCodes.CredentialsRejected, new StoreException(StoreFailureKind.AccessDenied, $"{service} rejected the credentials ({detail})"));
        }

        if ((type is not null && s_denied.Contains(type)) || status == 403)
        {
            return Coded(AwsErrorCodes.AccessDenied, new StoreException(StoreFailureKind.AccessDenied, $"{service} denied access ({detail})"));
        }

        if ((type is not null && s_server.Contains(type)) || status >= 500)
        {
            return Coded(AwsErrorCodes.ServerError, new StoreException(StoreFailureKind.Unavailable, $"{service} failed ({detail})", retryAfter: retryAfter));
        }

        return Coded(AwsErrorCodes.InvalidRequest, new StoreException(StoreFailureKind.InvalidRequest, $"{service} refused the request ({detail})"));
    }

    /// <summary>
    /// What an attempt threw, as a store failure: SDK service exceptions by error code, connection failures as
    /// Unavailable, setting problems as Misconfigured. Cancellation and already-classified failures pass through
    /// untouched (rethrow them), so <see cref="StoreCall"/> sees timeouts and the caller's cancellation as such.
    /// </summary>
    /// <returns>The failure, or null for exceptions to rethrow as they are.</returns>
    public static StoreException? Classify(Exception exception, string service, Uri? endpoint)
    {
        switch (exception)
        {
            case OperationCanceledException or StoreException:
                return null;
            case AwsSettingException setting:
                return Coded(setting.Code, new StoreException(StoreFailureKind.Misconfigured, setting.Description, setting.Remedy, innerException: setting));
            case AmazonServiceException reply when reply.StatusCode != 0 && (int)reply.StatusCode >= 400 && Connection(reply) is null:
                return FromErrorReply((int)reply.StatusCode, reply.ErrorCode, reply.Message, service, null);
        }

        if (Connection(exception) is { } connection)
        {
            var where = endpoint is null ? service + "'s endpoint" : $"{service} at {endpoint.GetLeftPart(UriPartial.Authority)}";
            if (connection is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
            {
                // An untrusted certificate will not change on retry: a setting to fix, not an outage.
                return Coded(AwsErrorCodes.UntrustedCertificate, new StoreException(
                    StoreFailureKind.Misconfigured,
                    $"{where} has a TLS certificate this machine does not trust ({FirstLine(connection.Message).TrimEnd('.')})",
                    $"If a TLS-inspecting proxy or a private CA signs it, set {AwsCaBundle.Variable} (or {AwsCaBundle.ProfileKey} in the profile) to that CA's PEM file; if one is set, check that it holds that CA.",
                    innerException: exception));
            }

            if (connection is TimeoutException || exception is TimeoutException)
            {
                return Coded(AwsErrorCodes.Unreachable, new StoreException(StoreFailureKind.Timeout, $"{where} did not answer in time", innerException: exception));
            }

            return Coded(AwsErrorCodes.Unreachable, new StoreException(StoreFailureKind.Unavailable, $"cannot reach {where} ({FirstLine(connection.Message)})", innerException: exception));
        }

        if (exception is AmazonClientException && AwsIdentity.SsoLoginProblem(exception) is { } login)
        {
            // An SSO profile's token is read when the first call is signed.
            return Coded(login.Code, new StoreException(StoreFailureKind.Misconfigured, login.Description, login.Remedy, innerException: exception));
        }

        if (exception is AmazonClientException credentials && IsCredentialFailure(credentials))
        {
            // Credentials the SDK resolves lazily (assume-role, web identity, credential_process) fail inside the call.
            return Coded(AwsErrorCodes.CredentialsFailed, new StoreException(
                StoreFailureKind.Misconfigured,
                "getting AWS credentials failed: " + FirstLine(credentials.Message) + (credentials.InnerException is { } inner ? " (" + FirstLine(inner.Message) + ")" : string.Empty),
                "Check the profile (role_arn, source_profile, credential_source, credential_process) or the web identity settings (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN).",
                innerException: exception));
        }

        if (exception is AmazonClientException client)
        {
            return Coded(AwsErrorCodes.InvalidRequest, new StoreException(StoreFailureKind.InvalidRequest, $"the {service} client failed: {FirstLine(client.Message)}", innerException: exception));
        }

        return null;
    }

    /// <summary>
    /// The final failure for one token: <c>CM22xx: PREFIX token 'path': what happened. What to do.</c> The code comes from
    /// the classification (or the kind); <paramref name="context"/> supplies the IAM action/resource and not-found wording.
    /// </summary>
    public static StoreException ForToken(StoreException failure, AwsTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(context);
        var code = CodeOf(failure);
        var remedy = code switch
        {
            AwsErrorCodes.AccessDenied => $"Grant {context.Action} on {context.Resource}{context.ExtraGrant} to the identity the plugin runs as.",
            AwsErrorCodes.CredentialsRejected => "Check the credentials (expired session token, wrong secret key, wrong account) and the region.",
            AwsErrorCodes.Throttled => "Retry later, lower the build's concurrency (MaxConcurrencyPerPrefix), or ask AWS for a higher rate quota.",
            AwsErrorCodes.Unreachable => $"Check {context.EndpointVariables} and AWS_REGION, and that the endpoint is reachable from this machine (proxy, firewall, VPC endpoint).",
            AwsErrorCodes.ServerError => "Retry later; see the AWS Health Dashboard if it persists.",
            _ when failure.Kind == StoreFailureKind.NotFound => context.NotFoundRemedy ?? failure.Remedy,
            _ => failure.Remedy,
        };
        var result = new StoreException(failure.Kind, $"{code}: {context.Prefix} token '{context.Path}': {failure.Description}", remedy, failure.RetryAfter, failure.InnerException);
        return Coded(code, result);
    }

    /// <summary>A failure carrying its CM code (used by <see cref="ForToken"/>).</summary>
    public static StoreException Coded(string code, StoreException failure)
    {
        failure.Data[CodeKey] = code;
        return failure;
    }

    /// <summary>The CM code a failure was classified with, else one by its kind.</summary>
    public static string CodeOf(StoreException failure) => failure.Data[CodeKey] as string ?? failure.Kind switch
    {
        StoreFailureKind.Throttled => AwsErrorCodes.Throttled,
        StoreFailureKind.Unavailable or StoreFailureKind.Timeout => failure.InnerException is null ? AwsErrorCodes.ServerError : AwsErrorCodes.Unreachable,
        StoreFailureKind.AccessDenied => AwsErrorCodes.AccessDenied,
        StoreFailureKind.Misconfigured => AwsErrorCodes.CredentialsFailed,
        _ => AwsErrorCodes.InvalidRequest,
    };

    /// <summary>The connection-level cause (socket, HTTP transport, I/O, timeout) in the exception chain, or null.</summary>
    private static Exception? Connection(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // A proxy that refuses the tunnel is a connection failure too, though its HttpRequestException carries the proxy's status.
            if (current is HttpRequestException { StatusCode: null } or HttpRequestException { HttpRequestError: HttpRequestError.ProxyTunnelError or HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError }
                or SocketException or IOException or TimeoutException or WebException)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary><c>com.amazonaws.ssm#ThrottlingException</c> or <c>aws.protocoltests#X:http://...</c> → <c>ThrottlingException</c>.</summary>
    private static string? ShortType(string? errorType)
    {
        if (string.IsNullOrWhiteSpace(errorType))
        {
            return null;
        }

        var type = errorType.Trim();
        var hash = type.LastIndexOf('#');
        if (hash >= 0)
        {
            type = type[(hash + 1)..];
        }

        var colon = type.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? type[..colon] : type;
    }

    private static bool IsCredentialFailure(AmazonClientException exception) =>
        exception.Message.Contains("AssumeRole", StringComparison.Ordinal)
        || exception.Message.Contains("credential", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("web identity", StringComparison.OrdinalIgnoreCase);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
