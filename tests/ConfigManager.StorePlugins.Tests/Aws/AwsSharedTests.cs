using Amazon.Runtime;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>The shared AWS plumbing: error mapping (what StoreCall retries), per-token wording, endpoint and region resolution.</summary>
[TestClass]
public sealed class AwsSharedTests
{
    private static readonly AwsTokenContext s_context = new(
        "AWSPARAMSTR", "/app/db", "ssm:GetParameters", "arn:aws:ssm:eu-west-1:ACCOUNT:parameter/app/db", "AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL", " and kms:Decrypt on its KMS key");

    [TestMethod]
    [DataRow(400, "ThrottlingException", StoreFailureKind.Throttled, AwsErrorCodes.Throttled)]
    [DataRow(400, "com.amazonaws.secretsmanager#TooManyRequestsException", StoreFailureKind.Throttled, AwsErrorCodes.Throttled)]
    [DataRow(429, null, StoreFailureKind.Throttled, AwsErrorCodes.Throttled)]
    [DataRow(500, "InternalServerError", StoreFailureKind.Unavailable, AwsErrorCodes.ServerError)]
    [DataRow(503, null, StoreFailureKind.Unavailable, AwsErrorCodes.ServerError)]
    [DataRow(400, "AccessDeniedException", StoreFailureKind.AccessDenied, AwsErrorCodes.AccessDenied)]
    [DataRow(400, "UnrecognizedClientException", StoreFailureKind.AccessDenied, AwsErrorCodes.CredentialsRejected)]
    [DataRow(400, "ValidationException", StoreFailureKind.InvalidRequest, AwsErrorCodes.InvalidRequest)]
    public void Error_replies_map_to_one_kind_and_code(int status, string? type, StoreFailureKind kind, string code)
    {
        var failure = AwsFailure.FromErrorReply(status, type, "Rate exceeded", "SSM");
        Assert.AreEqual(kind, failure.Kind);
        Assert.AreEqual(code, AwsFailure.CodeOf(failure));
        Assert.AreEqual(kind is StoreFailureKind.Throttled or StoreFailureKind.Unavailable, failure.IsTransient);
    }

    [TestMethod]
    public async Task StoreCall_retries_a_throttled_sdk_call_and_never_an_access_denied_one()
    {
        var options = StoreRetryOptions.Default with { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
        var attempts = 0;
        var value = await StoreCall.RunAsync(async _ =>
        {
            await Task.Yield();
            if (++attempts < 3)
            {
                throw AwsFailure.Classify(new AmazonServiceException("Rate exceeded", ErrorType.Sender, "ThrottlingException", "req", System.Net.HttpStatusCode.BadRequest), "SSM", null)!;
            }

            return "ok";
        }, options);
        Assert.AreEqual("ok", value);
        Assert.AreEqual(3, attempts);

        attempts = 0;
        var denied = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync<string>(_ =>
        {
            attempts++;
            throw AwsFailure.Classify(new AmazonServiceException("User: x is not authorized to perform: ssm:GetParameters", ErrorType.Sender, "AccessDeniedException", "req", System.Net.HttpStatusCode.BadRequest), "SSM", null)!;
        }, options));
        Assert.AreEqual(1, attempts);
        var worded = AwsFailure.ForToken(denied, s_context);
        Assert.AreEqual(
            "CM2222: AWSPARAMSTR token '/app/db': SSM denied access (AccessDeniedException, HTTP 400: User: x is not authorized to perform: ssm:GetParameters). " +
            "Grant ssm:GetParameters on arn:aws:ssm:eu-west-1:ACCOUNT:parameter/app/db and kms:Decrypt on its KMS key to the identity the plugin runs as.",
            worded.Message);
    }

    [TestMethod]
    public async Task Throttled_on_every_attempt_names_the_attempts()
    {
        var options = StoreRetryOptions.Default with { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
        var failure = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync<string>(_ => throw AwsFailure.FromErrorReply(400, "ThrottlingException", "Rate exceeded", "SSM"), options));
        var worded = AwsFailure.ForToken(failure, s_context);
        StringAssert.StartsWith(worded.Message, "CM2224: AWSPARAMSTR token '/app/db': SSM throttled the request (ThrottlingException, HTTP 400: Rate exceeded) (gave up after 3 attempts over ");
        StringAssert.Contains(worded.Message, "MaxConcurrencyPerPrefix");
    }

    [TestMethod]
    public void A_refused_connection_is_unavailable_and_names_the_endpoint()
    {
        var failure = AwsFailure.Classify(new HttpRequestException("Connection refused (127.0.0.1:1)", new System.Net.Sockets.SocketException(111)), "SSM", new Uri("http://127.0.0.1:1/"))!;
        Assert.AreEqual(StoreFailureKind.Unavailable, failure.Kind);
        var worded = AwsFailure.ForToken(failure, s_context);
        Assert.AreEqual(
            "CM2223: AWSPARAMSTR token '/app/db': cannot reach SSM at http://127.0.0.1:1 (Connection refused (127.0.0.1:1)). " +
            "Check AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL and AWS_REGION, and that the endpoint is reachable from this machine (proxy, firewall, VPC endpoint).",
            worded.Message);
        Assert.IsNull(AwsFailure.Classify(new OperationCanceledException(), "SSM", null), "cancellation passes through to StoreCall");
    }

    [TestMethod]
    public void The_service_endpoint_variable_wins_over_the_global_one_and_a_bad_url_is_CM2225()
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566",
            ["AWS_ENDPOINT_URL_SSM"] = "http://127.0.0.1:5000",
        };
        Assert.AreEqual(new Uri("http://127.0.0.1:5000"), AwsEndpoint.Resolve("SSM", variables.GetValueOrDefault));
        Assert.AreEqual(new Uri("http://127.0.0.1:4566"), AwsEndpoint.Resolve("SECRETS_MANAGER", variables.GetValueOrDefault));
        variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
        Assert.IsNull(AwsEndpoint.Resolve("SSM", variables.GetValueOrDefault));

        var bad = Assert.ThrowsExactly<AwsSettingException>(() => AwsEndpoint.Resolve("SSM", new Dictionary<string, string> { ["AWS_ENDPOINT_URL_SSM"] = "localhost:5000" }.GetValueOrDefault));
        Assert.AreEqual(AwsErrorCodes.BadEndpoint, bad.Code);
        StringAssert.Contains(bad.Message, "AWS_ENDPOINT_URL_SSM='localhost:5000' is not an absolute http(s) URL");
    }

    [TestMethod]
    public void Region_comes_from_AWS_REGION_then_AWS_DEFAULT_REGION()
    {
        Assert.AreEqual("eu-west-1", new AwsIdentity(new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1", ["AWS_DEFAULT_REGION"] = "us-west-2" }.GetValueOrDefault).Region.SystemName);
        Assert.AreEqual("us-west-2", new AwsIdentity(new Dictionary<string, string> { ["AWS_DEFAULT_REGION"] = "us-west-2" }.GetValueOrDefault).Region.SystemName);
    }

    [TestMethod]
    public void The_CA_bundle_is_AWS_CA_BUNDLE_else_the_active_profile_ca_bundle_of_the_config_file()
    {
        var config = Path.Combine(Path.GetTempPath(), $"cm-aws-config-{Guid.NewGuid():N}");
        File.WriteAllText(config, "[default]\nca_bundle = /default.pem\n\n# comment\n[profile  ci]\nregion = eu-west-1\nca_bundle=~/ci.pem\n[profile other]\nca_bundle = /other.pem\n");
        try
        {
            var variables = new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = config, ["HOME"] = "/home/u" };
            Assert.AreEqual(("/default.pem", $"ca_bundle of profile 'default' in {config}"), AwsCaBundle.Find(variables.GetValueOrDefault));
            variables["AWS_PROFILE"] = "ci";
            Assert.AreEqual(("/home/u/ci.pem", $"ca_bundle of profile 'ci' in {config}"), AwsCaBundle.Find(variables.GetValueOrDefault));
            variables["AWS_CA_BUNDLE"] = "/env.pem";
            Assert.AreEqual(("/env.pem", "AWS_CA_BUNDLE"), AwsCaBundle.Find(variables.GetValueOrDefault));
            variables.Remove("AWS_CA_BUNDLE");
            variables["AWS_PROFILE"] = "missing";
            Assert.IsNull(AwsCaBundle.Find(variables.GetValueOrDefault));
            Assert.IsNull(AwsCaBundle.Find(new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = config + ".absent" }.GetValueOrDefault));
            Assert.IsNull(AwsCaBundle.LoadTrust(new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = config + ".absent" }.GetValueOrDefault), "no bundle: the system store");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [TestMethod]
    public void An_untrusted_certificate_is_CM2231_and_not_retried()
    {
        var tls = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.");

        var failure = AwsFailure.Classify(tls, "Secrets Manager", new Uri("https://127.0.0.1:8443/"))!;

        Assert.AreEqual(AwsErrorCodes.UntrustedCertificate, AwsFailure.CodeOf(failure));
        Assert.IsFalse(failure.IsTransient);
        StringAssert.Contains(failure.Message, "Secrets Manager at https://127.0.0.1:8443 has a TLS certificate this machine does not trust");
        StringAssert.Contains(AwsFailure.ForToken(failure, s_context).Message, "set AWS_CA_BUNDLE (or ca_bundle in the profile)");
    }
}
