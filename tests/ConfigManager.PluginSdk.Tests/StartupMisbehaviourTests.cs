using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.TestSupport;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>CMTEST_MODE: the C# test plugin misbehaves at start-up exactly as the contract says, for host tests.</summary>
[TestClass]
public sealed class StartupMisbehaviourTests
{
    [TestMethod]
    [DataRow("garbage", "hello world")]
    [DataRow("blank", "")]
    public async Task Noise_before_the_handshake_then_a_normal_plugin(string mode, string firstLine)
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), environment: Mode(mode));

        Assert.AreEqual(firstLine, plugin.HandshakeLine);
        await HandshakeTests.WaitUntilAsync(() => plugin.LaterStdoutLines.Count > 0);
        var handshake = plugin.LaterStdoutLines.First().Split('|');
        Assert.AreEqual("unix", handshake[2]);
        Assert.IsTrue(File.Exists(handshake[3]), "the real handshake follows and names a live socket");
    }

    [TestMethod]
    [DataRow("badcore", "2|1|unix|")]
    [DataRow("badapp", "1|99|unix|")]
    [DataRow("badnet", "1|1|carrier-pigeon|")]
    [DataRow("badproto", "1|1|unix|")]
    public async Task Bad_handshake_lines(string mode, string start)
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), environment: Mode(mode));

        StringAssert.StartsWith(plugin.HandshakeLine, start);
        if (mode == "badproto")
        {
            Assert.AreEqual("netrpc", plugin.Fields[4]);
        }

        Assert.IsFalse(plugin.Process.HasExited, "it hangs until the host kills it");
    }

    [TestMethod]
    public async Task Silent_prints_nothing()
    {
        await Assert.ThrowsAsync<TimeoutException>(async () =>
            await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), environment: Mode("silent"), handshakeTimeout: TimeSpan.FromSeconds(1)));
    }

    [TestMethod]
    public async Task Exit_refuses_on_stderr_with_code_4()
    {
        var run = await ChildProcess.RunAsync(
            await CSharpPlugins.TestPluginAsync(), [], TimeSpan.FromSeconds(10), [(LaunchedPlugin.CookieKey, LaunchedPlugin.CookieValue), ("CMTEST_MODE", "exit")]);

        Assert.AreEqual(4, run.Code);
        Assert.AreEqual("refusing to start\n", run.Stderr);
        Assert.AreEqual(string.Empty, run.Stdout);
    }

    private static Dictionary<string, string?> Mode(string mode) => new() { ["CMTEST_MODE"] = mode };
}
