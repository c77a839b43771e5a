using System.Diagnostics;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>
/// A .NET process hosting plugins (holdinghost, tests/testassets/HoldingHost) is interrupted instead of disposing its host:
/// go-plugin plugins ignore SIGINT and never notice their parent dying, so the host must kill them.
/// </summary>
[TestClass]
public sealed class SignalTests
{
    [TestMethod]
    [DynamicData(nameof(InteropMatrix.Signals), typeof(InteropMatrix))]
    public async Task Interrupted_host_process_leaves_no_plugin_behind(TestPluginKind kind, bool mtls, string signal)
    {
        ProcessTable.EnsureMarked();
        var plugin = TestPlugins.BinaryPath(kind);
        using var layout = PluginLayout.WithSymlink(TestPlugins.Prefix(kind), plugin);
        using var tmp = new PrivateTempDirectory();
        var holdingHost = HoldingHost.Path;
        var startInfo = new ProcessStartInfo(holdingHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Under nohup (SIGHUP) or as a shell's background job (SIGINT) this process ignores the signal and the host
        // would inherit that: give the host the default disposition, as a terminal session would.
        InheritedSignals.StartWithDefault(startInfo, signal);

        foreach (var argument in HoldingHost.Arguments(layout, TestPlugins.Prefix(kind), "echo/held", mtls))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var host = Process.Start(startInfo)!;
        var stderr = host.StandardError.ReadToEndAsync();
        try
        {
            var line = await host.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.AreEqual("held", line, await StderrSoFar(stderr));
            Assert.AreEqual(1, ProcessTable.Find(plugin).Count, "the plugin is running");

            using (var kill = Process.Start("kill", ["-" + signal, host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            ProcessTable.AssertNoneRunning(plugin);
            Assert.AreEqual(0, tmp.PluginLeftovers.Length, "socket folder left behind: " + string.Join(", ", tmp.PluginLeftovers));
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> StderrSoFar(Task<string> stderr) =>
        stderr.IsCompleted ? await stderr : "(holdinghost still running)";
}
