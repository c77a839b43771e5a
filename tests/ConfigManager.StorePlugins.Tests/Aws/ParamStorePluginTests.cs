using ConfigManager.Core;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// plugins/AwsParamStore (NativeAOT, a real process under Core's PluginHost) against moto through the counting proxy:
/// types, versions, labels, key lookup, not found and invalid names in one batch, and call counting. Every run's log
/// and errors are searched for the values, and the proxy trap proves no request left the machine.
/// </summary>
[TestClass]
public sealed class ParamStorePluginTests
{
    private const string GetParameters = "AmazonSSM.GetParameters";
    private static ParamStoreFixture s_aws = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => s_aws = await ParamStoreFixture.StartAsync();

    [ClassCleanup]
    public static async Task StopAsync() => await s_aws.DisposeAsync();

    [TestMethod]
    [DataRow(true, DisplayName = "AutoMTLS")]
    [DataRow(false, DisplayName = "plain")]
    public async Task String_StringList_SecureString_versions_labels_and_key_lookup_resolve_in_one_process(bool autoMtls)
    {
        s_aws.Proxy.ClearRequests();
        var (result, log, launches) = await AwsPluginRun.ResolveAsync(
            CSharpPlugin.AwsParamStore,
            [
                "AWSPARAMSTR:///app/plain",
                "AWSPARAMSTR:///app/list",
                "AWSPARAMSTR:///app/secure",
                "AWSPARAMSTR:///app/secure[version=1]",
                "AWSPARAMSTR:///app/secure[label=previous]",
                "AWSPARAMSTR:///app/secure[label=current]",
                "AWSPARAMSTR:///app/json|password",
            ],
            s_aws.Environment(),
            autoMtls);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        CollectionAssert.AreEqual(
            new[] { ParamStoreFixture.Plain, ParamStoreFixture.ListValue, ParamStoreFixture.SecureV2, ParamStoreFixture.SecureV1, ParamStoreFixture.SecureV1, ParamStoreFixture.SecureV2, ParamStoreFixture.JsonPassword },
            result.Values.Select(v => v.Value).ToArray());
        Assert.AreEqual(1, launches);
        var calls = s_aws.Proxy.Requests;
        Assert.IsTrue(calls.All(r => r.Header("x-amz-target") == GetParameters), string.Join(", ", calls.Select(r => r.Header("x-amz-target"))));
        Assert.IsTrue(calls.All(r => r.BodyText.Contains("\"WithDecryption\":true", StringComparison.Ordinal)), "every read asks WithDecryption");
        Assert.IsTrue(calls.All(r => r.Header("authorization")?.StartsWith("AWS4-HMAC-SHA256 Credential=AKIAMOTOTESTKEY00000/", StringComparison.Ordinal) == true), "SigV4-signed with the environment's key");
        // One GetParameters per round: /app/secure is asked 4 ways, so at least 4 calls, and never one per token beyond that.
        Assert.IsTrue(calls.Count is >= 4 and <= 7, $"{calls.Count} GetParameters calls");
        AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task Missing_names_versions_and_labels_fail_alone_in_a_batch_with_CM2210()
    {
        var (result, log, _) = await AwsPluginRun.ResolveAsync(
            CSharpPlugin.AwsParamStore,
            ["AWSPARAMSTR:///app/plain", "AWSPARAMSTR:///app/missing", "AWSPARAMSTR:///app/secure[version=9]", "AWSPARAMSTR:///app/secure[label=nosuch]", "AWSPARAMSTR:///app/list"],
            s_aws.Environment());

        Assert.IsFalse(result.Succeeded);
        CollectionAssert.AreEqual(new[] { ParamStoreFixture.Plain, ParamStoreFixture.ListValue }, result.Values.Select(v => v.Value).ToArray());
        var errors = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(errors, "CM2210: AWSPARAMSTR token '/app/missing': no such parameter (GetParameters listed it in InvalidParameters). Check the name (case-sensitive, with its leading '/') and the region (us-east-1)");
        StringAssert.Contains(errors, "CM2210: AWSPARAMSTR token '/app/secure:9': no such parameter, or it has no version or label '9'");
        StringAssert.Contains(errors, "CM2210: AWSPARAMSTR token '/app/secure:nosuch': no such parameter, or it has no version or label 'nosuch'");
        Assert.AreEqual(3, result.Diagnostics.Count, errors);
        AssertClean(log, result, s_aws);
    }

    [TestMethod]
    [DataRow("AWSPARAMSTR:///app/secure[version=two]", "CM2211: AWSPARAMSTR token '/app/secure': [version=two] must be a positive whole number")]
    [DataRow("AWSPARAMSTR:///app/secure[version=1,label=current]", "CM2211: AWSPARAMSTR token '/app/secure': [version=...] and [label=...] cannot both be given")]
    [DataRow("AWSPARAMSTR:///app/secure[verison=1]", "CM2211: AWSPARAMSTR token '/app/secure': unknown metadata key 'verison' (known: version, label)")]
    [DataRow("AWSPARAMSTR:///app/secure[label=1st]", "CM2211: AWSPARAMSTR token '/app/secure': [label=1st] is not a parameter label")]
    public async Task Bad_metadata_is_CM2211_and_sends_nothing(string token, string expected)
    {
        s_aws.Proxy.ClearRequests();
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [token], s_aws.Environment());
        StringAssert.Contains(string.Join("\n", result.Diagnostics), expected);
        Assert.AreEqual(0, s_aws.Proxy.Requests.Count);
        AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task A_hundred_distinct_parameters_take_at_most_ten_GetParameters_calls_with_the_default_window()
    {
        var tokens = Enumerable.Range(0, ParamStoreFixture.Bulk).Select(i => $"AWSPARAMSTR:///bulk/p{i:D3}").ToArray();
        // The default options (3 ms quiet, 50 ms hold), three runs: the rule must hold on a loaded machine without a widened window.
        for (var run = 1; run <= 3; run++)
        {
            s_aws.Proxy.ClearRequests();
            var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, tokens, s_aws.Environment());

            Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
            CollectionAssert.AreEqual(Enumerable.Range(0, ParamStoreFixture.Bulk).Select(ParamStoreFixture.BulkValue).ToArray(), result.Values.Select(v => v.Value).ToArray());
            var calls = s_aws.Proxy.Count(GetParameters);
            var sizes = string.Join(",", s_aws.Proxy.Requests.Select(request => request.BodyText.Split("/bulk/p").Length - 1));
            Console.WriteLine($"run {run}: {calls} GetParameters calls for 100 distinct parameters (names per call: {sizes})");
            Assert.IsLessThanOrEqualTo(10, calls, $"run {run}: {calls} GetParameters calls for 100 distinct parameters (names per call: {sizes})");
            Assert.AreEqual(calls, s_aws.Proxy.Requests.Count);
            AssertClean(log, result, s_aws);
        }
    }

    [TestMethod]
    public async Task A_parameter_ARN_is_sent_to_GetParameters_as_written_which_moto_does_not_resolve()
    {
        // AWS accepts names or ARNs in GetParameters (and requires the ARN for a parameter shared from another
        // account), so the plugin passes the ARN through; moto 5.2.1 looks names up by the text before the first ':'.
        const string arn = "arn:aws:ssm:us-east-1:123456789012:parameter/app/plain";
        s_aws.Proxy.ClearRequests();
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [$"AWSPARAMSTR://{arn}"], s_aws.Environment());

        var request = s_aws.Proxy.Requests.Single();
        StringAssert.Contains(request.BodyText, $"\"Names\":[\"{arn}\"]");
        StringAssert.Contains(string.Join("\n", result.Diagnostics), $"CM2210: AWSPARAMSTR token '{arn}': no such parameter (GetParameters listed it in InvalidParameters)");
        AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task A_parameter_ARN_resolves_from_a_reply_shaped_like_AWSs()
    {
        // The reply AWS gives for a shared parameter asked by ARN (moto cannot): the value comes back under its ARN.
        const string arn = "arn:aws:ssm:us-east-1:111122223333:parameter/shared/db";
        s_aws.Proxy.ClearRequests();
        s_aws.Proxy.Inject(new InjectedFault(
            200,
            $$"""{"Parameters":[{"ARN":"{{arn}}","DataType":"text","Name":"{{arn}}","Type":"String","Value":"{{ParamStoreFixture.Plain}}","Version":1}],"InvalidParameters":[]}""",
            new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1" },
            When: request => request.Header("x-amz-target") == GetParameters));
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, [$"AWSPARAMSTR://{arn}"], s_aws.Environment());

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(ParamStoreFixture.Plain, result.Values.Single().Value);
        StringAssert.Contains(s_aws.Proxy.Requests.Single().BodyText, $"\"Names\":[\"{arn}\"]");
        AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task Batching_off_sends_one_call_per_token()
    {
        s_aws.Proxy.ClearRequests();
        var tokens = Enumerable.Range(0, 20).Select(i => $"AWSPARAMSTR:///bulk/p{i:D3}").ToArray();
        var (result, log, _) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, tokens, s_aws.Environment(("CONFIGMANAGER_AWSPARAMSTR_BATCHING", "off")));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(20, s_aws.Proxy.Count(GetParameters));
        AssertClean(log, result, s_aws);
    }

    [TestMethod]
    public async Task Five_hundred_concurrent_tokens_resolve_in_batches()
    {
        s_aws.Proxy.ClearRequests();
        var tokens = Enumerable.Range(0, ParamStoreFixture.Many).Select(i => $"AWSPARAMSTR:///many/p{i:D3}").ToArray();
        var (result, log, launches) = await AwsPluginRun.ResolveAsync(CSharpPlugin.AwsParamStore, tokens, s_aws.Environment());

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        CollectionAssert.AreEqual(Enumerable.Range(0, ParamStoreFixture.Many).Select(ParamStoreFixture.ManyValue).ToArray(), result.Values.Select(v => v.Value).ToArray());
        Assert.AreEqual(1, launches);
        var calls = s_aws.Proxy.Count(GetParameters);
        // Batched with the default 3 ms window: far fewer calls than tokens (the exact number depends on scheduling).
        Assert.IsTrue(calls is >= 50 and < 250, $"{calls} GetParameters calls for 500 tokens");
        AssertClean(log, result, s_aws);
    }

    internal static void AssertClean(IEnumerable<string> log, TokenValuesResult result, ParamStoreFixture aws)
    {
        var outputs = log.Concat(result.Diagnostics.Select(d => d.ToString())).ToArray();
        foreach (var line in outputs)
        {
            foreach (var secret in ParamStoreFixture.Secrets)
            {
                Assert.DoesNotContain(secret, line, "a value or credential reached an output");
            }
        }

        Assert.IsEmpty(aws.Trap.Attempts, "a request tried to leave the machine: " + string.Join(", ", aws.Trap.Attempts));
        ProcessTable.AssertNoneRunning(CSharpPlugins.PathOf(CSharpPlugin.AwsParamStore));
    }
}
