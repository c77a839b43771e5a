namespace ConfigManager.Plugins.AwsShared;

/// <summary>The error codes both AWS plugins share (CM2220-CM2231): the first word of the error text; see docs/plugins-aws.md.</summary>
public static class AwsErrorCodes
{
    /// <summary>No credentials: every source of the SDK's default chain was tried and none had any.</summary>
    public const string NoCredentials = "CM2220";

    /// <summary>No region: AWS_REGION, AWS_DEFAULT_REGION and the profile's region are all unset.</summary>
    public const string NoRegion = "CM2221";

    /// <summary>AccessDenied: the identity may not perform the action on the resource.</summary>
    public const string AccessDenied = "CM2222";

    /// <summary>The endpoint could not be reached (connection refused/reset, DNS, timeout), after the retries.</summary>
    public const string Unreachable = "CM2223";

    /// <summary>Throttled on every attempt (ThrottlingException, TooManyRequestsException, HTTP 429).</summary>
    public const string Throttled = "CM2224";

    /// <summary>An endpoint variable (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_&lt;SERVICE&gt;) is not an absolute http(s) URL.</summary>
    public const string BadEndpoint = "CM2225";

    /// <summary>The service failed (HTTP 5xx, InternalServerError, ServiceUnavailable) on every attempt.</summary>
    public const string ServerError = "CM2226";

    /// <summary>The credentials were rejected (UnrecognizedClientException, InvalidSignatureException, ExpiredToken...).</summary>
    public const string CredentialsRejected = "CM2227";

    /// <summary>The service refused the request as invalid (ValidationException and other 4xx), or its reply made no sense.</summary>
    public const string InvalidRequest = "CM2228";

    /// <summary>Getting credentials failed for another reason (a broken profile, credential_process or role assumption that failed).</summary>
    public const string CredentialsFailed = "CM2229";

    /// <summary>The CA bundle (AWS_CA_BUNDLE, else the profile's ca_bundle) cannot be read or holds no PEM certificate.</summary>
    public const string BadCaBundle = "CM2230";

    /// <summary>The endpoint's TLS certificate is not trusted (by the system store, or by the CA bundle when one is set).</summary>
    public const string UntrustedCertificate = "CM2231";
}
