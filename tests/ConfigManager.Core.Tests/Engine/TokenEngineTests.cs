using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Tests.Support;
using ConfigManager.TestSupport;

namespace ConfigManager.Core.Tests.Engine;

[TestClass]
public sealed class TokenEngineTests
{
    private const string Secret = "s3cr3t-P@ss\"word";
    private const string JsonSecret = """{"user":"alice","password":"s3cr3t-json","nested":{"port":5432,"enabled":true},"list":[1,2]}""";

    private static Task<EngineResult> Resolve(InMemoryValueSource source, EngineOptions? options = null, RecordingLogSink? log = null, SecretMask? mask = null, params SourceDocument[] documents)
        => TokenEngine.ResolveAsync(documents, options ?? new EngineOptions(), source, log ?? new RecordingLogSink(), mask ?? new SecretMask(), CancellationToken.None);

    [TestMethod]
    public async Task Fan_in_fetches_a_shared_store_path_once_across_documents()
    {
        var source = new InMemoryValueSource().With("AWSSECRETS", "/app/db", JsonSecret);
        var result = await Resolve(source, documents:
        [
            new SourceDocument("a.json", """{"User":"AWSSECRETS:///app/db|user","Password":"AWSSECRETS:///app/db|password"}"""),
            new SourceDocument("b.json", """{"Port":AWSSECRETS:///app/db|nested.port ,"Versioned":"AWSSECRETS:///app/db[version=2]","Again":"AWSSECRETS:///app/db[version=2]"}"""),
        ]);
        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual("""{"Port":5432 ,"Versioned":"{\"user\":\"alice\",\"password\":\"s3cr3t-json\",\"nested\":{\"port\":5432,\"enabled\":true},\"list\":[1,2]}#version=2","Again":"{\"user\":\"alice\",\"password\":\"s3cr3t-json\",\"nested\":{\"port\":5432,\"enabled\":true},\"list\":[1,2]}#version=2"}""", result.Documents[1].Text);
        Assert.AreEqual(2, source.CallsFor("AWSSECRETS", "/app/db"), "one call without metadata, one for the metadata token");
        Assert.AreEqual("""{"User":"alice","Password":"s3cr3t-json"}""", result.Documents[0].Text);
        Assert.AreEqual(1, source.Requests.Count(r => r.Metadata == "version=2"));
    }

    [TestMethod]
    public async Task Value_is_json_escaped_inside_a_json_string()
    {
        var source = new InMemoryValueSource().With("VAULT", "pw", Secret);
        var result = await Resolve(source, documents: new SourceDocument("appsettings.json", "\uFEFF{\r\n  // comment\r\n  \"Pw\": \"VAULT://pw\"\r\n}"));
        Assert.AreEqual("\uFEFF{\r\n  // comment\r\n  \"Pw\": \"s3cr3t-P@ss\\\"word\"\r\n}", result.Documents.Single().Text);
    }

    [TestMethod]
    public async Task Strict_mode_fails_and_lists_every_unresolved_token_with_position_and_plugin_path()
    {
        var source = new InMemoryValueSource().With("VAULT", "json", JsonSecret);
        var result = await Resolve(source, documents: new SourceDocument("s.json", "{\n \"a\": \"VAULT://missing\",\n \"b\": \"VAULT://json|nope\",\n \"c\": \"VAULT://json|user\"\n}"));
        Assert.IsFalse(result.Succeeded);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        CollectionAssert.AreEqual(new[] { "CM2099", "CM3002" }, errors.Select(e => e.Code).ToArray());
        Assert.AreEqual(("s.json", 2, 8, "VAULT://missing", "/plugins/test-plugin"), (errors[0].File, errors[0].Line, errors[0].Column, errors[0].TokenName, errors[0].PluginPath));
        Assert.AreEqual((3, "VAULT://json|nope"), (errors[1].Line, errors[1].TokenName));
        Assert.IsFalse(result.Diagnostics.Any(d => d.Message.Contains("alice", StringComparison.Ordinal) || d.Message.Contains("s3cr3t", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Lax_mode_keeps_unresolved_tokens_as_written_and_warns()
    {
        var source = new InMemoryValueSource().With("VAULT", "ok", "fine");
        var result = await Resolve(source, new EngineOptions { Lax = true }, documents: new SourceDocument("l.txt", "a=VAULT://ok b=VAULT://missing"));
        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual("a=fine b=VAULT://missing", result.Documents.Single().Text);
        Assert.AreEqual(DiagnosticSeverity.Warning, result.Diagnostics.Single().Severity);
    }

    [TestMethod]
    public async Task Value_source_failure_is_attached_to_every_token_that_needed_the_request()
    {
        var source = new InMemoryValueSource().Failing("VAULT", "down", new ConfigManagerException("CM2010", "plugin crashed", "/p/vault"));
        var result = await Resolve(source, documents: new SourceDocument("x.txt", "VAULT://down|a VAULT://down|b"));
        Assert.AreEqual(1, source.CallsFor("VAULT", "down"));
        Assert.AreEqual(2, result.Diagnostics.Count(d => d.Code == "CM2010" && d.PluginPath == "/p/vault"));
    }

    [TestMethod]
    public async Task Unexpected_exception_from_a_source_becomes_CM3001()
    {
        var source = new InMemoryValueSource().Failing("VAULT", "boom", new InvalidOperationException("broken"));
        var result = await Resolve(source, documents: new SourceDocument("x.txt", "VAULT://boom"));
        Assert.AreEqual("CM3001", result.Diagnostics.Single().Code);
    }

    [TestMethod]
    public async Task Grammar_errors_stop_the_run_before_any_request()
    {
        var source = new InMemoryValueSource().With("VAULT", "a", "v");
        var result = await Resolve(source, documents: [new SourceDocument("1.txt", "VAULT://a[]"), new SourceDocument("2.txt", "VAULT://a[x")]);
        Assert.IsFalse(result.Succeeded);
        CollectionAssert.AreEqual(new[] { "CM1001", "CM1002" }, result.Diagnostics.Select(d => d.Code).ToArray());
        Assert.AreEqual(0, source.Requests.Count);
    }

    [TestMethod]
    public async Task Requests_run_concurrently_but_bounded_per_prefix()
    {
        var source = new InMemoryValueSource { Delay = TimeSpan.FromMilliseconds(30) };
        var text = string.Join(" ", Enumerable.Range(0, 12).Select(i => $"VAULT://k{i}"));
        for (var i = 0; i < 12; i++)
        {
            source.With("VAULT", $"k{i}", $"value-{i}");
        }

        var result = await Resolve(source, new EngineOptions { MaxConcurrencyPerPrefix = 3 }, documents: new SourceDocument("c.txt", text));
        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual(3, source.PeakConcurrency);
    }

    [TestMethod]
    public async Task By_default_enough_requests_run_at_once_to_fill_two_store_batches()
    {
        // Store plugins batch concurrent Value calls (SSM: 10 names a call, Secrets Manager: 20): the engine must let that many through.
        var source = new InMemoryValueSource { Delay = TimeSpan.FromSeconds(2) };
        var text = string.Join(" ", Enumerable.Range(0, 50).Select(i => $"VAULT://k{i}"));
        for (var i = 0; i < 50; i++)
        {
            source.With("VAULT", $"k{i}", $"value-{i}");
        }

        var result = await Resolve(source, new EngineOptions(), documents: new SourceDocument("c.txt", text));
        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual(40, EngineOptions.DefaultMaxConcurrencyPerPrefix);
        Assert.AreEqual(EngineOptions.DefaultMaxConcurrencyPerPrefix, source.PeakConcurrency);
    }

    [TestMethod]
    public async Task Cancellation_flows_to_the_value_source()
    {
        var source = new InMemoryValueSource { Delay = TimeSpan.FromSeconds(30) }.With("VAULT", "slow", "v");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAsync<OperationCanceledException>(() => TokenEngine.ResolveAsync(
            [new SourceDocument("c.txt", "VAULT://slow")], new EngineOptions(), source, new RecordingLogSink(), new SecretMask(), cancellation.Token));
    }

    [TestMethod]
    public async Task Every_fetched_value_and_looked_up_key_is_masked_and_never_logged()
    {
        var mask = new SecretMask();
        var log = new RecordingLogSink();
        var source = new InMemoryValueSource().With("VAULT", "json", JsonSecret).With("VAULT", "pw", Secret);
        await Resolve(source, log: log, mask: mask, documents: new SourceDocument("m.txt", "VAULT://json|password VAULT://pw"));
        Assert.AreEqual("*** ***", mask.Redact("s3cr3t-json " + Secret));
        Assert.IsFalse(log.AllText.Contains("s3cr3t", StringComparison.Ordinal));
        Assert.IsTrue(log.Lines.Count > 0);
    }

    [TestMethod]
    public async Task Envsubst_runs_before_scanning_when_enabled()
    {
        Environment.SetEnvironmentVariable("CM_ENGINE_TEST_STAGE", "prod");
        var source = new InMemoryValueSource().With("VAULT", "prod/db", "v1");
        var result = await Resolve(source, new EngineOptions { EnvSubst = true }, documents: new SourceDocument("e.txt", "x=VAULT://${CM_ENGINE_TEST_STAGE}/db"));
        Assert.AreEqual("x=v1", result.Documents.Single().Text);
        var failed = await Resolve(source, new EngineOptions { EnvSubst = true }, documents: new SourceDocument("e.txt", "x=$CM_ENGINE_TEST_UNSET_VAR"));
        Assert.AreEqual("CM3010", failed.Diagnostics.Single().Code);
    }

    [TestMethod]
    public async Task Resolve_tokens_returns_values_in_input_order_with_keys_looked_up()
    {
        var source = new InMemoryValueSource().With("AWSSECRETS", "/app", JsonSecret).With("VAULT", "x", "plain");
        var result = await TokenEngine.ResolveTokensAsync(
            ["AWSSECRETS:///app|user", "VAULT://x", "AWSSECRETS:///app|nested.port", "VAULT://x[version=1]"],
            new EngineOptions(), source, new RecordingLogSink(), new SecretMask(), CancellationToken.None);
        Assert.IsTrue(result.Succeeded);
        CollectionAssert.AreEqual(new[] { "alice", "plain", "5432", "plain#version=1" }, result.Values.Select(v => v.Value).ToArray());
        Assert.AreEqual(1, source.CallsFor("AWSSECRETS", "/app"));
    }

    [TestMethod]
    public async Task Resolve_tokens_rejects_input_that_is_not_a_token()
    {
        var result = await TokenEngine.ResolveTokensAsync(["not-a-token"], new EngineOptions(), new InMemoryValueSource(), new RecordingLogSink(), new SecretMask(), CancellationToken.None);
        Assert.AreEqual("CM1005", result.Diagnostics.Single().Code);
    }

    [TestMethod]
    public async Task Resolve_tokens_in_lax_mode_leaves_out_failures_with_a_warning()
    {
        var result = await TokenEngine.ResolveTokensAsync(["VAULT://missing"], new EngineOptions { Lax = true }, new InMemoryValueSource(), new RecordingLogSink(), new SecretMask(), CancellationToken.None);
        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual(0, result.Values.Count);
        Assert.AreEqual(DiagnosticSeverity.Warning, result.Diagnostics.Single().Severity);
    }

    [TestMethod]
    public void Scan_reports_tokens_of_every_document_and_invalid_options()
    {
        var scan = TokenEngine.Scan([new SourceDocument("a", "VAULT://a"), new SourceDocument("b", "x GOTEST://b")], new EngineOptions { ExtraPrefixes = ["GOTEST"] });
        CollectionAssert.AreEqual(new[] { "a", "b" }, scan.Tokens.Select(t => t.File).ToArray());
        Assert.AreEqual("CM1010", TokenEngine.Scan([], new EngineOptions { TokenSeparator = "" }).Diagnostics.Single().Code);
    }

    [TestMethod]
    public async Task Json_output_that_no_longer_parses_is_CM4001_naming_the_file()
    {
        var source = new InMemoryValueSource().With("VAULT", "word", "not-a-number");
        var result = await Resolve(source, documents: new SourceDocument("bad.json", "{\"Port\": VAULT://word\n}"));
        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM4001", error.Code);
        Assert.AreEqual("bad.json", error.File);
        Assert.IsFalse(error.Message.Contains("not-a-number", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Json_token_that_swallowed_an_escaping_backslash_is_rechecked_and_reported()
    {
        // The source string "VAULT://a\" ..." continues past the escaped quote; the token takes the backslash.
        var source = new InMemoryValueSource().With("VAULT", "a\\", "v");
        var result = await Resolve(source, documents: new SourceDocument("q.json", "{\"k\": \"VAULT://a\\\" x\"}"));
        Assert.AreEqual("CM4001", result.Diagnostics.Single().Code);
    }
}
