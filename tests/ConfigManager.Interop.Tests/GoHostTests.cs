using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>The Go host (go-plugin's own client) against the test plugins: the anchor other tests and benchmarks rely on.</summary>
[TestClass]
public sealed class GoHostTests
{
    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Gohost_fetches_a_value(TestPluginKind kind, bool mtls)
    {
        ProcessTable.EnsureMarked();
        var plugin = TestPlugins.BinaryPath(kind);
        var (code, stdout, stderr) = await RunGohostAsync("-plugin", plugin, mtls ? "-mtls" : "-mtls=false", "-token", "echo/from-go", "-metadata", "k=v");
        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual("from-go#k=v\n", stdout);
        ProcessTable.AssertNoneRunning(plugin);
    }

    [TestMethod]
    public async Task Gohost_reports_plugin_errors()
    {
        var (code, _, stderr) = await RunGohostAsync("-plugin", TestPlugins.BinaryPath(TestPluginKind.Go), "-token", "error/nope");
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "nope");
    }

    private static Task<ChildProcessResult> RunGohostAsync(params string[] args) =>
        ChildProcess.RunAsync(GoBuild.Require().GoHost, args, TimeSpan.FromSeconds(30));
}
