using System.Diagnostics;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>The Go host (go-plugin's own client) against the test plugins: the anchor other tests and benchmarks rely on.</summary>
[TestClass]
public sealed class GoHostTests
{
    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public void Gohost_fetches_a_value(TestPluginKind kind, bool mtls)
    {
        ProcessTable.EnsureMarked();
        var plugin = TestPlugins.BinaryPath(kind);
        var (code, stdout, stderr) = Run(GoBuild.Require().GoHost, "-plugin", plugin, mtls ? "-mtls" : "-mtls=false", "-token", "echo/from-go", "-metadata", "k=v");
        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual("from-go#k=v\n", stdout);
        ProcessTable.AssertNoneRunning(plugin);
    }

    [TestMethod]
    public void Gohost_reports_plugin_errors()
    {
        var (code, _, stderr) = Run(GoBuild.Require().GoHost, "-plugin", TestPlugins.BinaryPath(TestPluginKind.Go), "-token", "error/nope");
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "nope");
    }

    private static (int Code, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var startInfo = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(30)), "gohost hung");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
