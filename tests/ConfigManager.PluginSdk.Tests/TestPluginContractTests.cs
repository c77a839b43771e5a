using System.Text.Json;
using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.Protocol.TokenStore;
using ConfigManager.TestSupport;
using Google.Protobuf;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>
/// The C# test plugin's behaviours over raw gRPC (the shared interop suite runs them again through PluginHost).
/// Also proves the SDK's mapping: ITokenStore errors become status Unknown with the message.
/// </summary>
[TestClass]
public sealed class TestPluginContractTests
{
    private static LaunchedPlugin? s_plugin;

    private static TokenStore.TokenStoreClient Client => new(s_plugin!.Channel);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) =>
        s_plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), autoMtls: true, environment: new Dictionary<string, string?> { ["CMTEST_VALUE"] = "from-env" });

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (s_plugin is not null)
        {
            await s_plugin.DisposeAsync();
        }
    }

    [TestMethod]
    [DataRow("echo/hello", "", "hello")]
    [DataRow("/echo/a/b/c", "", "a/b/c", DisplayName = "leading slash trimmed, rest kept whole")]
    [DataRow("echo/hello", "version=2,label=x", "hello#version=2,label=x")]
    [DataRow("env/CMTEST_VALUE", "", "from-env")]
    public async Task Value_follows_the_contract(string token, string metadata, string expected)
    {
        var reply = await Client.ValueAsync(new TokenValueRequest { Token = token, Metadata = ByteString.CopyFromUtf8(metadata) });

        Assert.AreEqual(expected, reply.Value);
    }

    [TestMethod]
    public async Task Json_returns_the_fixed_document()
    {
        var reply = await Client.ValueAsync(new TokenValueRequest { Token = "json/anything" });

        using var document = JsonDocument.Parse(reply.Value);
        Assert.AreEqual("s3cr3t-json", document.RootElement.GetProperty("password").GetString());
        Assert.AreEqual(5432, document.RootElement.GetProperty("nested").GetProperty("port").GetInt32());
        Assert.AreEqual("""{"user":"alice","password":"s3cr3t-json","nested":{"port":5432,"enabled":true},"list":[1,2]}""", reply.Value);
    }

    [TestMethod]
    [DataRow("error/the vault is sealed", "the vault is sealed")]
    [DataRow("env/CMTEST_NOT_SET_ANYWHERE", "environment variable CMTEST_NOT_SET_ANYWHERE is not set")]
    [DataRow("teleport/now", "unknown behaviour: teleport/now")]
    public async Task Plugin_errors_arrive_as_status_Unknown_with_the_message(string token, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.ValueAsync(new TokenValueRequest { Token = token }));

        Assert.AreEqual(StatusCode.Unknown, error.StatusCode);
        Assert.AreEqual(message, error.Status.Detail);
    }

    [TestMethod]
    public async Task Large_value_beyond_grpc_default_4_MiB_is_sent_whole()
    {
        var reply = await Client.ValueAsync(new TokenValueRequest { Token = "large/5000000" });

        Assert.AreEqual(5_000_000, reply.Value.Length);
        Assert.IsTrue(reply.Value.All(c => c == 'x'));
    }

    [TestMethod]
    public async Task Sleep_honours_the_callers_deadline_and_the_plugin_keeps_serving()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.ValueAsync(new TokenValueRequest { Token = "sleep/5000" }, deadline: DateTime.UtcNow.AddMilliseconds(200)));
        Assert.AreEqual(StatusCode.DeadlineExceeded, error.StatusCode);

        var reply = await Client.ValueAsync(new TokenValueRequest { Token = "sleep/10" });
        Assert.AreEqual("slept 10", reply.Value);
    }

    [TestMethod]
    public async Task Concurrent_calls_are_served_in_parallel()
    {
        var started = DateTime.UtcNow;
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.ValueAsync(new TokenValueRequest { Token = "sleep/300" }).ResponseAsync));

        Assert.IsTrue(replies.All(reply => reply.Value == "slept 300"));
        Assert.IsLessThan(TimeSpan.FromSeconds(3), DateTime.UtcNow - started, "20 sleeps of 300 ms must overlap");
    }

    [TestMethod]
    public async Task Log_writes_hclog_json_with_six_fractional_digits_and_a_plain_error_line_to_stderr()
    {
        var reply = await Client.ValueAsync(new TokenValueRequest { Token = "log/x" });
        Assert.AreEqual("logged", reply.Value);

        await HandshakeTests.WaitUntilAsync(() => s_plugin!.StderrLines.Contains("[ERROR] plugin error line"));
        var lines = s_plugin!.StderrLines.ToArray();
        foreach (var (message, level) in new[] { ("plugin info line", "info"), ("plugin warn line", "warn") })
        {
            var line = lines.Single(l => l.Contains(message, StringComparison.Ordinal));
            using var json = JsonDocument.Parse(line);
            Assert.AreEqual(level, json.RootElement.GetProperty("@level").GetString());
            Assert.AreEqual(message, json.RootElement.GetProperty("@message").GetString());
            Assert.AreEqual("cstest", json.RootElement.GetProperty("@module").GetString());
            StringAssert.Matches(json.RootElement.GetProperty("@timestamp").GetString(), new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"));
        }
    }

    [TestMethod]
    public async Task Crash_exits_with_code_3_without_replying()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "crash/now" }));

        Assert.AreEqual(StatusCode.Unavailable, error.StatusCode, error.ToString());
        Assert.IsTrue(await plugin.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.AreEqual(3, plugin.Process.ExitCode);
    }
}
