using ConfigManager.TestSupport;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>go-plugin's own host (perf/gohost, go-plugin v1.0.1) accepts plugins built with the SDK, plain and AutoMTLS.</summary>
[TestClass]
public sealed class GoHostAcceptanceTests
{
    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_gets_an_ENV_value_from_the_CSharp_env_plugin(bool autoMtls)
    {
        var plugin = await CSharpPlugins.EnvPluginAsync();
        var (code, stdout, stderr) = await RunGohostAsync(plugin, autoMtls, "CM_GOHOST_VALUE", ("CM_GOHOST_VALUE", "value-via-go-host"));

        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual("value-via-go-host\n", stdout);
        ProcessTable.AssertNoneRunning(plugin);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_sees_the_plugins_error_message(bool autoMtls)
    {
        var plugin = await CSharpPlugins.EnvPluginAsync();
        var (code, _, stderr) = await RunGohostAsync(plugin, autoMtls, "CM_GOHOST_MISSING");

        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "environment variable CM_GOHOST_MISSING is not set");
        ProcessTable.AssertNoneRunning(plugin);
    }

    private static Task<ChildProcessResult> RunGohostAsync(string plugin, bool autoMtls, string token, params (string Name, string? Value)[] environment)
    {
        ProcessTable.EnsureMarked();
        return ChildProcess.RunAsync(GoBuild.Require().GoHost, ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", token], TimeSpan.FromSeconds(30), environment);
    }
}
