using System.Diagnostics;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>
/// A host killed by SIGKILL cannot shut its plugins down. First-party C# plugins notice that their parent is gone
/// (the SDK's parent watch) and end by themselves, under our host and under go-plugin's own Go host.
/// </summary>
[TestClass]
public sealed class ParentDeathTests
{
    // The watch checks twice a second; seconds of margin for a loaded machine.
    private static readonly TimeSpan s_endWithin = TimeSpan.FromSeconds(20);

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task A_CSharp_plugin_ends_when_the_dotnet_host_is_SIGKILLed(bool mtls)
    {
        var prefix = TestPlugins.Prefix(TestPluginKind.CSharp);
        using var layout = PluginLayout.WithSymlink(prefix, TestPlugins.BinaryPath(TestPluginKind.CSharp));
        await KillHostAndExpectPluginToEnd(HoldingHost.Path, HoldingHost.Arguments(layout, prefix, "echo/held", mtls), waitForLine: "held");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task A_CSharp_plugin_ends_when_the_Go_host_is_SIGKILLed(bool mtls)
    {
        // gohost (go-plugin v1.0.1) waits in a long call; the plugin is served to it as to any Go host.
        var args = new List<string> { "-plugin", TestPlugins.BinaryPath(TestPluginKind.CSharp), mtls ? "-mtls" : "-mtls=false", "-token", "sleep/600000" };
        await KillHostAndExpectPluginToEnd(GoBuild.Require().GoHost, args, waitForLine: null);
    }

    private static async Task KillHostAndExpectPluginToEnd(string host, IEnumerable<string> args, string? waitForLine)
    {
        ProcessTable.EnsureMarked();
        var plugin = TestPlugins.BinaryPath(TestPluginKind.CSharp);
        using var tmp = new PrivateTempDirectory();
        var startInfo = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (waitForLine is not null)
            {
                Assert.AreEqual(waitForLine, await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            }

            var started = Stopwatch.StartNew();
            while (ProcessTable.Find(plugin).Count == 0)
            {
                Assert.IsTrue(started.Elapsed < TimeSpan.FromSeconds(60), "the plugin never started: " + (stderr.IsCompleted ? await stderr : ""));
                await Task.Delay(100);
            }

            var pids = ProcessTable.Find(plugin);
            // Give the Go host time to finish the handshake and send the call, so the plugin is serving.
            await Task.Delay(TimeSpan.FromSeconds(1));
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();

            var killed = Stopwatch.StartNew();
            while (pids.Any(IsAlive) && killed.Elapsed < s_endWithin)
            {
                await Task.Delay(100);
            }

            Assert.IsFalse(pids.Any(IsAlive), $"plugin {string.Join(',', pids)} outlived its SIGKILLed host by {s_endWithin}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            foreach (var pid in ProcessTable.Find(plugin))
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                }
            }
        }
    }

    // An orphan that exited stays a zombie until init reaps it (in a container, maybe never): that counts as ended.
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
