using System.Diagnostics;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// AWSPARAMSTR's failures, each a coded error naming the token and what to do: no credentials, no region, an
/// unreachable endpoint, throttling (retried with backoff up to the bound), server errors, access denied (never
/// retried); the proxy trap catches the public endpoint; the Go go-plugin host sees values and error texts.
/// </summary>
[TestClass]
public sealed class ParamStoreFailureTests
{
    private const string GetParameters = "AmazonSSM.GetParameters";
    private const string Token = "AWSPARAMSTR:///app/secure";
    private static ParamStoreFixture s_aws = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => s_aws = await ParamStoreFixture.StartAsync(bulk: false);

    [ClassCleanup]
    public static async Task StopAsync() => await s_aws.DisposeAsync();

    [TestMethod]
    public async Task No_credentials_is_CM2220_naming_every_source_tried_and_sends_nothing()
    {
        s_aws.Proxy.ClearRequests();
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], s_aws.Environment(("AWS_ACCESS_KEY_ID", null), ("AWS_SECRET_ACCESS_KEY", null)));

        var errors = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(errors, "CM2220: AWSPARAMSTR token '/app/secure': no AWS credentials found; tried: environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset), profile 'default'");
        StringAssert.Contains(errors, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE unset), ECS container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI unset), EC2 instance metadata (off: AWS_EC2_METADATA_DISABLED=true)");
        StringAssert.Contains(errors, "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
        Assert.AreEqual(0, s_aws.Proxy.Requests.Count);
        ParamStorePluginTests.AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task Keys_from_a_profile_in_the_shared_credentials_file_are_used()
    {
        s_aws.Proxy.ClearRequests();
        var credentials = Path.Combine(s_aws.Moto.Directory, "profile-credentials");
        await File.WriteAllTextAsync(credentials, "[ci]\naws_access_key_id = AKIAPROFILEKEY000000\naws_secret_access_key = profile-secret-not-a-secret\n");
        try
        {
            var (result, log, _) = await AwsPluginRun.ResolveAsync(
                CSharpPlugin.AwsParamStore,
                [Token],
                s_aws.Environment(("AWS_ACCESS_KEY_ID", null), ("AWS_SECRET_ACCESS_KEY", null), ("AWS_SHARED_CREDENTIALS_FILE", credentials), ("AWS_PROFILE", "ci")));

            Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
            Assert.AreEqual(ParamStoreFixture.SecureV2, result.Values.Single().Value);
            StringAssert.StartsWith(s_aws.Proxy.Requests.Single().Header("authorization"), "AWS4-HMAC-SHA256 Credential=AKIAPROFILEKEY000000/");
            Assert.IsFalse(log.Any(line => line.Contains("profile-secret", StringComparison.Ordinal)));
            ParamStorePluginTests.AssertClean(log, result, s_aws);
        }
        finally
        {
            File.Delete(credentials);
        }
    }

    [TestMethod]
    public async Task No_region_is_CM2221()
    {
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], s_aws.Environment(("AWS_REGION", null)));
        StringAssert.Contains(string.Join("\n", result.Diagnostics), "CM2221: AWSPARAMSTR token '/app/secure': no AWS region is set (tried AWS_REGION, AWS_DEFAULT_REGION, the profile's region in ");
        ParamStorePluginTests.AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task Another_region_does_not_have_the_parameter_and_the_error_names_the_region()
    {
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], s_aws.Environment(("AWS_REGION", "eu-west-3")));
        StringAssert.Contains(string.Join("\n", result.Diagnostics), "CM2210: AWSPARAMSTR token '/app/secure': no such parameter (GetParameters listed it in InvalidParameters). Check the name (case-sensitive, with its leading '/') and the region (eu-west-3)");
        ParamStorePluginTests.AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task An_unreachable_endpoint_is_CM2223_after_bounded_retries_well_within_the_call_timeout()
    {
        var closed = LoopbackPort.Free();
        var clock = Stopwatch.StartNew();
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], s_aws.Environment(("AWS_ENDPOINT_URL", $"http://127.0.0.1:{closed}")));
        clock.Stop();

        var errors = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(errors, $"CM2223: AWSPARAMSTR token '/app/secure': cannot reach SSM at http://127.0.0.1:{closed} (");
        StringAssert.Contains(errors, "(gave up after 5 attempts over ");
        StringAssert.Contains(errors, "Check AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL and AWS_REGION");
        // Five refused connections and their backoff (at most 0.1+0.2+0.4+0.8 s) take far less than the host's 60 s call timeout.
        Assert.IsLessThan(TimeSpan.FromSeconds(50), clock.Elapsed, $"took {clock.Elapsed}");
        ParamStorePluginTests.AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task A_bad_endpoint_setting_is_CM2225()
    {
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], s_aws.Environment(("AWS_ENDPOINT_URL_SSM", "127.0.0.1:5000")));
        StringAssert.Contains(string.Join("\n", result.Diagnostics), "CM2225: AWSPARAMSTR token '/app/secure': AWS_ENDPOINT_URL_SSM='127.0.0.1:5000' is not an absolute http(s) URL");
        ParamStorePluginTests.AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task Throttles_429s_and_500s_are_retried_with_backoff_until_the_value_comes()
    {
        s_aws.Proxy.ClearRequests();
        s_aws.Proxy.Throttle(GetParameters, 2);
        s_aws.Proxy.TooManyRequests(GetParameters, 1);
        s_aws.Proxy.ServerError(GetParameters, 1);
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], s_aws.Environment());

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(ParamStoreFixture.SecureV2, result.Values.Single().Value);
        Assert.AreEqual(5, s_aws.Proxy.Count(GetParameters), "4 failed attempts, then the one that passed through to moto");
        ParamStorePluginTests.AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task Throttled_beyond_the_bound_is_CM2224_naming_the_attempts()
    {
        s_aws.Proxy.ClearRequests();
        s_aws.Proxy.Throttle(GetParameters, 8);
        try
        {
            var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], s_aws.Environment());

            var errors = string.Join("\n", result.Diagnostics);
            StringAssert.Contains(errors, "CM2224: AWSPARAMSTR token '/app/secure': SSM throttled the request (ThrottlingException, HTTP 400: Rate exceeded) (gave up after 5 attempts over ");
            StringAssert.Contains(errors, "Retry later, lower the build's concurrency (MaxConcurrencyPerPrefix)");
            Assert.AreEqual(5, s_aws.Proxy.Count(GetParameters), "exactly the bound, 5 attempts");
            ParamStorePluginTests.AssertClean(log, result, s_aws);
        }
        finally
        {
            // Take the 3 throttles left over off the queue.
            using var client = new ConfigManager.TestSupport.LocalServers.Aws.AwsJsonClient(s_aws.Proxy.Endpoint);
            for (var i = 0; i < 3; i++)
            {
                await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.CallAsync(GetParameters, new System.Text.Json.Nodes.JsonObject { ["Names"] = new System.Text.Json.Nodes.JsonArray("/app/plain") }));
            }
        }
    }

    [TestMethod]
    public async Task AccessDenied_is_CM2222_naming_the_action_and_resource_and_is_not_retried()
    {
        s_aws.Proxy.ClearRequests();
        s_aws.Proxy.Inject(new InjectedFault(
            400,
            """{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/secure"}""",
            new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1" },
            When: r => r.Header("x-amz-target") == GetParameters));
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], s_aws.Environment());

        var errors = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(errors, "CM2222: AWSPARAMSTR token '/app/secure': SSM denied access (AccessDeniedException, HTTP 400: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:GetParameters");
        StringAssert.Contains(errors, "Grant ssm:GetParameters on arn:aws:ssm:us-east-1:ACCOUNT_ID:parameter/app/secure (and kms:Decrypt on its KMS key if it is a SecureString) to the identity the plugin runs as.");
        Assert.AreEqual(1, s_aws.Proxy.Count(GetParameters), "access denied is never retried");
        ParamStorePluginTests.AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task Without_an_endpoint_override_the_public_endpoint_is_caught_by_the_proxy_trap()
    {
        // Proves the trap sees this plugin's traffic: every other test's empty trap then means nothing left the machine.
        await using var trap = ProxyTrap.Start();
        var environment = s_aws.Proxy.PluginEnvironment().Concat(trap.Environment).Append(("AWS_ENDPOINT_URL", null));
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [Token], environment);

        Assert.IsFalse(result.Succeeded);
        StringAssert.Contains(string.Join("\n", result.Diagnostics), "CM2223: AWSPARAMSTR token '/app/secure': cannot reach SSM at https://ssm.us-east-1.amazonaws.com");
        Assert.IsNotEmpty(trap.Attempts);
        Assert.IsTrue(trap.Attempts.All(line => line.StartsWith("CONNECT ssm.us-east-1.amazonaws.com:443 ", StringComparison.Ordinal)), string.Join("\n", trap.Attempts));
        ParamStorePluginTests.AssertClean(log, result, s_aws);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_reads_a_SecureString_and_sees_the_plugins_error_text(bool autoMtls)
    {
        var plugin = await CSharpPlugins.PublishAsync(CSharpPlugin.AwsParamStore);
        ProcessTable.EnsureMarked();
        var environment = s_aws.Environment().ToArray();
        var (code, stdout, stderr) = await ChildProcess.RunAsync(
            GoBuild.Require().GoHost, ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", "/app/secure"], TimeSpan.FromSeconds(60), environment);
        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual(ParamStoreFixture.SecureV2 + "\n", stdout);

        var (failed, _, error) = await ChildProcess.RunAsync(
            GoBuild.Require().GoHost, ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", "/app/nothing"], TimeSpan.FromSeconds(60), environment);
        Assert.AreEqual(1, failed);
        StringAssert.Contains(error, "CM2210: AWSPARAMSTR token '/app/nothing': no such parameter");
        foreach (var secret in ParamStoreFixture.Secrets)
        {
            Assert.DoesNotContain(secret, stderr + error);
        }

        Assert.IsEmpty(s_aws.Trap.Attempts);
        ProcessTable.AssertNoneRunning(plugin);
    }
}
