using System.Globalization;
using System.Text;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Aws;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// plugins/AwsSecrets (NativeAOT, a real process under Core's PluginHost) against a real moto 5.2.1, seeded through the
/// JSON API; call counts and throttles through <see cref="AwsCountingProxy"/>. Every run also has a proxy trap: nothing
/// may leave loopback. Every output is searched for the secret values.
/// </summary>
[TestClass]
public sealed class SecretsPluginTests
{
    private const string BatchTarget = "secretsmanager.BatchGetSecretValue";
    private const string SingleTarget = "secretsmanager.GetSecretValue";
    private const string PasswordV1 = "sm-pw-version-one";
    private const string PasswordV2 = "sm-pw-version-two";
    private const string BlueValue = "sm-blue-stage-value";
    private const string PlainValue = "sm-plain-text-value";
    private const int BulkCount = 500;

    private static readonly byte[] s_binary = Encoding.UTF8.GetBytes("sm-binary-\u0001\u0002-payload");
    private static readonly List<string> s_secrets = [PasswordV1, PasswordV2, BlueValue, PlainValue, Convert.ToBase64String(s_binary), MotoServer.SecretAccessKey];
    private static MotoServer s_moto = null!;
    private static AwsCountingProxy s_proxy = null!;
    private static string s_versionOne = null!;
    private static string s_dbArn = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.AwsSecrets);
        s_moto = await MotoServer.StartAsync();
        s_proxy = await AwsCountingProxy.StartAsync(s_moto);
        using var client = s_moto.Client();
        var first = await client.CreateSecretAsync("/app/db", secretString: $$"""{"user":"app","password":"{{PasswordV1}}"}""");
        s_versionOne = first["VersionId"]!.GetValue<string>();
        s_dbArn = first["ARN"]!.GetValue<string>();
        await client.PutSecretValueAsync("/app/db", secretString: $$$"""{"user":"app","password":"{{{PasswordV2}}}","db":{"port":5432}}""");
        await client.PutSecretValueAsync("/app/db", $$"""{"password":"{{BlueValue}}"}""", null, "blue");
        await client.CreateSecretAsync("app/plain", secretString: PlainValue);
        await client.CreateSecretAsync("app/cert", secretBinary: s_binary);
        // One at a time: moto's Secrets Manager backend answers concurrent CreateSecret calls with HTTP 500.
        for (var i = 0; i < BulkCount; i++)
        {
            await client.CreateSecretAsync(Bulk(i), secretString: BulkValue(i));
        }

        s_secrets.AddRange(Enumerable.Range(0, BulkCount).Select(BulkValue));
        await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await s_proxy.DisposeAsync();
        await s_moto.DisposeAsync();
    }

    [TestMethod]
    public async Task Stages_version_id_json_keys_plain_and_binary_secrets_resolve()
    {
        string[] tokens =
        [
            "AWSSECRETS:///app/db|password",
            "AWSSECRETS:///app/db|db.port",
            "AWSSECRETS:///app/db|password[version=AWSPREVIOUS]",
            "AWSSECRETS:///app/db|password[version=blue]",
            $"AWSSECRETS:///app/db|password[versionid={s_versionOne}]",
            "AWSSECRETS://app/plain",
            "AWSSECRETS://app/cert",
        ];
        var (result, log, trapped) = await SecretsPluginRun.ResolveAsync(tokens, s_moto.PluginEnvironment());

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(PasswordV2, SecretsPluginRun.ValueOf(result, tokens[0]));
        Assert.AreEqual("5432", SecretsPluginRun.ValueOf(result, tokens[1]));
        Assert.AreEqual(PasswordV1, SecretsPluginRun.ValueOf(result, tokens[2]));
        Assert.AreEqual(BlueValue, SecretsPluginRun.ValueOf(result, tokens[3]));
        Assert.AreEqual(PasswordV1, SecretsPluginRun.ValueOf(result, tokens[4]));
        Assert.AreEqual(PlainValue, SecretsPluginRun.ValueOf(result, tokens[5]));
        Assert.AreEqual(Convert.ToBase64String(s_binary), SecretsPluginRun.ValueOf(result, tokens[6]), "a binary-only secret gives its base64 text");
        Assert.IsEmpty(trapped, "the plugin tried to reach a host other than moto: " + string.Join(", ", trapped));
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task A_batch_with_unknown_ids_fails_only_those_tokens()
    {
        s_proxy.ClearRequests();
        var known = Enumerable.Range(0, 6).Select(i => $"AWSSECRETS://{Bulk(i)}").ToArray();
        string[] unknown = ["AWSSECRETS://missing/one", "AWSSECRETS://missing/two"];
        var (result, log, trapped) = await SecretsPluginRun.ResolveAsync([.. known, .. unknown], s_proxy.PluginEnvironment());

        for (var i = 0; i < known.Length; i++)
        {
            Assert.AreEqual(BulkValue(i), SecretsPluginRun.ValueOf(result, known[i]));
        }

        var errors = result.Diagnostics.Where(d => d.Severity == ConfigManager.Core.Diagnostics.DiagnosticSeverity.Error).Select(d => d.Message).ToList();
        Assert.HasCount(2, errors, string.Join("\n", result.Diagnostics));
        foreach (var id in new[] { "missing/one", "missing/two" })
        {
            var error = errors.Single(message => message.Contains($"'{id}'", StringComparison.Ordinal));
            StringAssert.Contains(error, $"CM2201: AWSSECRETS token '{id}': Secrets Manager answered ResourceNotFoundException");
            StringAssert.Contains(error, "list-secret-version-ids");
        }

        // How the eight tokens were grouped into calls depends on when they reached the plugin (default options: 3 ms quiet),
        // so the calls are checked for what holds for every grouping: each id was asked exactly once (an id a batch reply
        // listed in Errors failed with that entry and was not asked again alone), batches of 2-20 ids, lone ids as GetSecretValue.
        var calls = Calls();
        Console.WriteLine("calls: " + string.Join("; ", calls.Select(call => $"{call.Target}({string.Join(",", call.Ids)})")));
        CollectionAssert.AreEquivalent(new[] { Bulk(0), Bulk(1), Bulk(2), Bulk(3), Bulk(4), Bulk(5), "missing/one", "missing/two" }, calls.SelectMany(call => call.Ids).ToList(), Counts());
        Assert.IsTrue(calls.All(call => call.Target == BatchTarget ? call.Ids.Count is >= 2 and <= 20 : call.Target == SingleTarget && call.Ids.Count == 1), Counts());
        Assert.IsEmpty(trapped);
        AssertNoSecretIn([.. log, .. result.Diagnostics.Select(d => d.ToString())]);
    }

    [TestMethod]
    public async Task A_secret_is_fetched_by_its_full_ARN_with_key_path_and_stage()
    {
        StringAssert.StartsWith(s_dbArn, "arn:aws:secretsmanager:", "moto returns the ARN from CreateSecret");
        string[] tokens = [$"AWSSECRETS://{s_dbArn}|password", $"AWSSECRETS://{s_dbArn}|password[version=AWSPREVIOUS]"];
        s_proxy.ClearRequests();
        var (result, log, trapped) = await SecretsPluginRun.ResolveAsync(tokens, s_proxy.PluginEnvironment());

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(PasswordV2, SecretsPluginRun.ValueOf(result, tokens[0]));
        Assert.AreEqual(PasswordV1, SecretsPluginRun.ValueOf(result, tokens[1]));
        Assert.IsTrue(s_proxy.Requests.All(request => request.BodyText.Contains($"\"{s_dbArn}\"", StringComparison.Ordinal)), "every request names the secret by its ARN");
        Assert.IsEmpty(trapped);
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task Hundred_secrets_take_at_most_five_batch_calls_and_one_call_each_unbatched()
    {
        var tokens = Enumerable.Range(0, 100).Select(i => $"AWSSECRETS://{Bulk(i)}").ToArray();
        // The default options (3 ms quiet, 50 ms hold) and the host's default 40 calls in flight, so the batches after the
        // first two are filled by the host's refills; three runs: the rule must hold on a loaded machine without a widened window.
        var log = new List<string>();
        for (var run = 1; run <= 3; run++)
        {
            s_proxy.ClearRequests();
            var (batched, runLog, runTrapped) = await SecretsPluginRun.ResolveAsync(tokens, s_proxy.PluginEnvironment(), maxConcurrency: ConfigManager.Core.EngineOptions.DefaultMaxConcurrencyPerPrefix);
            Assert.IsTrue(batched.Succeeded, string.Join("\n", batched.Diagnostics));
            var sizes = string.Join(",", s_proxy.Requests.Select(request => request.BodyText.Split("bulk/secret-").Length - 1));
            Console.WriteLine($"run {run}: {Counts()} (ids per call: {sizes})");
            Assert.IsLessThanOrEqualTo(5, s_proxy.Count(BatchTarget), $"run {run}: {Counts()} (ids per call: {sizes})");
            Assert.AreEqual(0, s_proxy.Count(SingleTarget), $"run {run}: {Counts()} (ids per call: {sizes})");
            for (var i = 0; i < tokens.Length; i++)
            {
                Assert.AreEqual(BulkValue(i), SecretsPluginRun.ValueOf(batched, tokens[i]));
            }

            Assert.IsEmpty(runTrapped);
            log.AddRange(runLog);
        }

        s_proxy.ClearRequests();
        var (unbatched, unbatchedLog, trapped) = await SecretsPluginRun.ResolveAsync(
            tokens, [.. s_proxy.PluginEnvironment(), ("CONFIGMANAGER_AWSSECRETS_BATCHING", "off")]);
        Assert.IsTrue(unbatched.Succeeded, string.Join("\n", unbatched.Diagnostics));
        Assert.AreEqual(100, s_proxy.Count(SingleTarget), Counts());
        Assert.AreEqual(0, s_proxy.Count(BatchTarget), Counts());
        Assert.IsEmpty(trapped);
        AssertNoSecretIn([.. log, .. unbatchedLog]);
    }

    [TestMethod]
    public async Task Five_hundred_concurrent_tokens_resolve()
    {
        var tokens = Enumerable.Range(0, BulkCount).Select(i => $"AWSSECRETS://{Bulk(i)}").ToArray();
        var (result, log, trapped) = await SecretsPluginRun.ResolveAsync(tokens, s_moto.PluginEnvironment(), maxConcurrency: BulkCount);
        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics.Take(5)));
        Assert.HasCount(BulkCount, result.Values);
        for (var i = 0; i < tokens.Length; i++)
        {
            Assert.AreEqual(BulkValue(i), SecretsPluginRun.ValueOf(result, tokens[i]));
        }

        Assert.IsEmpty(trapped);
        AssertNoSecretIn(log);
    }

    [TestMethod]
    [DataRow("throttle", DisplayName = "ThrottlingException")]
    [DataRow("429", DisplayName = "HTTP 429 TooManyRequestsException")]
    [DataRow("500", DisplayName = "HTTP 500")]
    public async Task Two_transient_failures_are_retried_to_success(string kind)
    {
        s_proxy.ClearRequests();
        // The first two requests fail, whichever call they are: one BatchGetSecretValue for both ids, or (tokens that
        // reached the plugin more than the quiet period apart) a GetSecretValue each.
        Inject(kind, null, 2);
        string[] tokens = [$"AWSSECRETS://{Bulk(10)}", $"AWSSECRETS://{Bulk(11)}"];
        var (result, log, _) = await SecretsPluginRun.ResolveAsync(tokens, s_proxy.PluginEnvironment());

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(BulkValue(10), SecretsPluginRun.ValueOf(result, tokens[0]));
        Assert.AreEqual(BulkValue(11), SecretsPluginRun.ValueOf(result, tokens[1]));
        Assert.AreEqual(0, s_proxy.PendingFaults, "both failures were answered to a request");

        // Each call is retried with the same body: the requests are the distinct calls plus the two failed attempts.
        var calls = Calls();
        var distinct = calls.Select(call => call.Target + ":" + string.Join(",", call.Ids)).Distinct().ToList();
        Console.WriteLine("calls: " + string.Join("; ", calls.Select(call => $"{call.Target}({string.Join(",", call.Ids)})")));
        Assert.AreEqual(distinct.Count + 2, calls.Count, "two failed attempts, then one per call that reached moto: " + Counts());
        CollectionAssert.AreEquivalent(new[] { Bulk(10), Bulk(11) }, calls.DistinctBy(call => call.Target + ":" + string.Join(",", call.Ids)).SelectMany(call => call.Ids).ToList(), Counts());
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task Throttling_beyond_the_retry_bound_fails_clearly()
    {
        s_proxy.ClearRequests();
        s_proxy.Throttle(SingleTarget, 20);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (result, log, _) = await SecretsPluginRun.ResolveAsync(["AWSSECRETS://app/plain"], s_proxy.PluginEnvironment());
        started.Stop();

        var error = result.Diagnostics.Single(d => d.Severity == ConfigManager.Core.Diagnostics.DiagnosticSeverity.Error).Message;
        StringAssert.Contains(error, "CM2224: AWSSECRETS token 'app/plain': Secrets Manager throttled the request (ThrottlingException");
        StringAssert.Contains(error, "gave up after 5 attempts");
        Assert.AreEqual(5, s_proxy.Count(SingleTarget), Counts());
        Assert.IsLessThan(TimeSpan.FromSeconds(55), started.Elapsed, "the retries stay within the host's per-call timeout");
        AssertNoSecretIn([.. log, error]);
        s_proxy.ClearRequests();
        await DrainFaultsAsync(SingleTarget);
    }

    [TestMethod]
    public async Task Access_denied_is_not_retried_and_names_the_action_and_resource()
    {
        s_proxy.ClearRequests();
        s_proxy.Inject(new InjectedFault(
            400,
            """{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: secretsmanager:GetSecretValue"}""",
            new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1" },
            When: request => request.Header("x-amz-target") == SingleTarget));
        var (result, log, _) = await SecretsPluginRun.ResolveAsync(["AWSSECRETS://app/plain[version=AWSPREVIOUS]"], s_proxy.PluginEnvironment());

        var error = result.Diagnostics.Single(d => d.Severity == ConfigManager.Core.Diagnostics.DiagnosticSeverity.Error).Message;
        StringAssert.Contains(error, "CM2222: AWSSECRETS token 'app/plain': Secrets Manager denied access (AccessDeniedException");
        StringAssert.Contains(error, "(stage AWSPREVIOUS)");
        StringAssert.Contains(error, "Grant secretsmanager:GetSecretValue");
        StringAssert.Contains(error, "arn:aws:secretsmanager:us-east-1:<account>:secret:app/plain-*");
        StringAssert.Contains(error, "kms:Decrypt");
        Assert.AreEqual(1, s_proxy.Count(SingleTarget), "AccessDenied is never retried: " + Counts());
        AssertNoSecretIn([.. log, error]);
    }

    [TestMethod]
    public async Task A_denied_batch_call_falls_back_to_one_GetSecretValue_per_secret()
    {
        s_proxy.ClearRequests();
        s_proxy.Inject(new InjectedFault(
            400,
            """{"__type":"AccessDeniedException","message":"not authorized to perform: secretsmanager:BatchGetSecretValue"}""",
            new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1" },
            When: request => request.Header("x-amz-target") == BatchTarget));
        var tokens = Enumerable.Range(20, 3).Select(i => $"AWSSECRETS://{Bulk(i)}").ToArray();
        var (result, log, _) = await SecretsPluginRun.ResolveAsync(tokens, s_proxy.PluginEnvironment());
        var batched = s_proxy.PendingFaults == 0;
        s_proxy.ClearFaults();

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        for (var i = 0; i < tokens.Length; i++)
        {
            Assert.AreEqual(BulkValue(20 + i), SecretsPluginRun.ValueOf(result, tokens[i]));
        }

        // Every id ends in one GetSecretValue of its own, whether it met the denied batch first or (arriving alone, default
        // options) never was in one; of three ids at most one batch can form, and after its denial nothing is batched.
        Console.WriteLine("calls: " + string.Join("; ", Calls().Select(call => $"{call.Target}({string.Join(",", call.Ids)})")));
        Assert.AreEqual(3, s_proxy.Count(SingleTarget), Counts());
        Assert.AreEqual(batched ? 1 : 0, s_proxy.Count(BatchTarget), Counts());
        Assert.AreEqual(batched, log.Any(line => line.Contains("BatchGetSecretValue was denied", StringComparison.Ordinal)), string.Join("\n", log));
        AssertNoSecretIn(log);
    }

    [TestMethod]
    [DataRow("[stage=AWSCURRENT]", "unknown metadata key 'stage'", DisplayName = "unknown key")]
    [DataRow("[version=AWSCURRENT,versionid=abc]", "has both [version=...] and [versionid=...]", DisplayName = "both selectors")]
    public async Task Bad_metadata_is_CM2200_without_a_call(string metadata, string expected)
    {
        s_proxy.ClearRequests();
        var (result, _, _) = await SecretsPluginRun.ResolveAsync([$"AWSSECRETS://app/plain{metadata}"], s_proxy.PluginEnvironment());
        var error = result.Diagnostics.Single(d => d.Severity == ConfigManager.Core.Diagnostics.DiagnosticSeverity.Error).Message;
        StringAssert.Contains(error, "CM2200: AWSSECRETS token 'app/plain' ");
        StringAssert.Contains(error, expected);
        Assert.IsEmpty(s_proxy.Requests, Counts());
    }

    [TestMethod]
    public async Task A_stage_that_does_not_exist_is_not_found()
    {
        var (result, _, _) = await SecretsPluginRun.ResolveAsync(["AWSSECRETS:///app/db[version=NOSUCHSTAGE]"], s_moto.PluginEnvironment());
        var error = result.Diagnostics.Single(d => d.Severity == ConfigManager.Core.Diagnostics.DiagnosticSeverity.Error).Message;
        StringAssert.Contains(error, "CM2201: AWSSECRETS token '/app/db': Secrets Manager answered ResourceNotFoundException");
        StringAssert.Contains(error, "(stage NOSUCHSTAGE)");
    }

    [TestMethod]
    public async Task No_credentials_lists_the_sources_tried_and_reaches_no_metadata_endpoint()
    {
        var environment = s_moto.PluginEnvironment()
            .Select(pair => pair.Name is "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" ? (pair.Name, null) : pair)
            .ToList();
        var (result, log, trapped) = await SecretsPluginRun.ResolveAsync(["AWSSECRETS://app/plain"], environment);

        var error = result.Diagnostics.Single(d => d.Severity == ConfigManager.Core.Diagnostics.DiagnosticSeverity.Error).Message;
        StringAssert.Contains(error, "CM2220: AWSSECRETS token 'app/plain': no AWS credentials found; tried: environment");
        StringAssert.Contains(error, "AWS_EC2_METADATA_DISABLED=true");
        Assert.IsEmpty(trapped, "no credential source may leave loopback: " + string.Join(", ", trapped));
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task An_unreachable_endpoint_fails_within_the_timeout_with_clear_text()
    {
        var closed = LoopbackPort.Free();
        var environment = s_moto.PluginEnvironment()
            .Select(pair => pair.Name == "AWS_ENDPOINT_URL" ? (pair.Name, (string?)$"http://127.0.0.1:{closed}") : pair)
            .ToList();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (result, _, trapped) = await SecretsPluginRun.ResolveAsync(["AWSSECRETS://app/plain"], environment);

        var error = result.Diagnostics.Single(d => d.Severity == ConfigManager.Core.Diagnostics.DiagnosticSeverity.Error).Message;
        StringAssert.Contains(error, "CM2223: AWSSECRETS token 'app/plain': cannot reach Secrets Manager at http://127.0.0.1:" + closed.ToString(CultureInfo.InvariantCulture));
        StringAssert.Contains(error, "AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL");
        Assert.IsLessThan(TimeSpan.FromSeconds(55), started.Elapsed);
        Assert.IsEmpty(trapped);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_reads_a_secret_and_sees_the_error_text(bool autoMtls)
    {
        var plugin = CSharpPlugins.PathOf(CSharpPlugin.AwsSecrets);
        await using var trap = ProxyTrap.Start();
        var environment = s_moto.PluginEnvironment().Concat(trap.Environment).ToList();
        ProcessTable.EnsureMarked();
        var (code, stdout, stderr) = await ChildProcess.RunAsync(
            GoBuild.Require().GoHost, ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", "/app/db", "-metadata", "version=AWSPREVIOUS"], TimeSpan.FromSeconds(60), environment);
        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual($$"""{"user":"app","password":"{{PasswordV1}}"}""" + "\n", stdout);

        var (failed, _, failure) = await ChildProcess.RunAsync(
            GoBuild.Require().GoHost, ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", "missing/secret"], TimeSpan.FromSeconds(60), environment);
        Assert.AreEqual(1, failed);
        StringAssert.Contains(failure, "CM2201: AWSSECRETS token 'missing/secret': Secrets Manager answered ResourceNotFoundException");
        Assert.IsEmpty(trap.Attempts);
        AssertNoSecretIn([stderr, failure]);
        ProcessTable.AssertNoneRunning(plugin);
    }

    private static string Bulk(int i) => $"bulk/secret-{i:D3}";

    private static string BulkValue(int i) => $"sm-bulk-value-{i:D3}";

    /// <summary>Every request the proxy saw, as its target and the secret ids it asked for (SecretIdList or SecretId).</summary>
    private static List<(string Target, IReadOnlyList<string> Ids)> Calls() =>
        [.. s_proxy.Requests.Select(request =>
        {
            var body = System.Text.Json.Nodes.JsonNode.Parse(request.BodyText)!;
            IReadOnlyList<string> ids = body["SecretIdList"] is System.Text.Json.Nodes.JsonArray list
                ? [.. list.Select(id => id!.GetValue<string>())]
                : [body["SecretId"]!.GetValue<string>()];
            return (request.Header("x-amz-target") ?? "(none)", ids);
        })];

    private static void Inject(string kind, string? target, int count)
    {
        switch (kind)
        {
            case "throttle":
                s_proxy.Throttle(target, count);
                break;
            case "429":
                s_proxy.TooManyRequests(target, count);
                break;
            default:
                s_proxy.ServerError(target, count);
                break;
        }
    }

    /// <summary>Faults left queued (more than the plugin's attempts) are used up so they cannot leak into the next test.</summary>
    private static async Task DrainFaultsAsync(string target)
    {
        using var client = new AwsJsonClient(s_proxy.Endpoint);
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await client.CallAsync(target, new System.Text.Json.Nodes.JsonObject { ["SecretId"] = "app/plain" });
                return;
            }
            catch (InvalidOperationException)
            {
                // Still a queued throttle.
            }
        }
    }

    private static string Counts() => string.Join(", ", s_proxy.Counts().Select(pair => $"{pair.Key}={pair.Value}"));

    private static void AssertNoSecretIn(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            foreach (var secret in s_secrets)
            {
                Assert.DoesNotContain(secret, line, "a secret value or credential reached an output");
            }
        }
    }
}
