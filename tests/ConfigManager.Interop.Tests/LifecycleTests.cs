using ConfigManager.Core.Diagnostics;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>One process per prefix per run, and none survives the run: success, failure, cancellation.</summary>
[TestClass]
public sealed class LifecycleTests
{
    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task After_a_successful_run_no_plugin_process_remains(TestPluginKind kind, bool mtls)
    {
        var run = HostRun.Start(kind, mtls);
        await run.ValueAsync("echo/a");
        var pids = run.Host.PluginProcessIds;
        Assert.AreEqual(1, pids.Count);
        CollectionAssert.AreEqual(pids.ToList(), ProcessTable.Find(run.Binary).ToList());
        await run.DisposeAsync(); // asserts the process table
        Assert.IsFalse(Directory.Exists($"/proc/{pids[0]}"), "the plugin was reaped");
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Graceful_shutdown_lets_the_plugin_exit_by_itself(TestPluginKind kind, bool mtls)
    {
        var run = HostRun.Start(kind, mtls);
        await run.ValueAsync("echo/a");
        await run.DisposeAsync();
        // The host's own record, not a stopwatch: on a loaded machine a graceful exit can take longer than 1.5 s.
        Assert.IsFalse(run.Log.AllText.Contains("did not exit within", StringComparison.Ordinal), "the plugin had to be killed: " + run.Log.AllText);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Cancelling_a_call_cancels_it_and_disposal_leaves_no_process(TestPluginKind kind, bool mtls)
    {
        var run = HostRun.Start(kind, mtls);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<OperationCanceledException>(() => run.ValueAsync("sleep/20000", cancellationToken: cts.Token));
        await run.DisposeAsync();
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Disposing_during_the_handshake_kills_the_starting_plugin(TestPluginKind kind, bool mtls)
    {
        var run = HostRun.Start(kind, mtls, "silent");
        var pending = run.ValueAsync("echo/x");
        while (run.Host.LaunchCount == 0)
        {
            await Task.Delay(10);
        }

        await run.DisposeAsync();
        await Assert.ThrowsAsync<Exception>(() => pending);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task A_crashed_plugins_socket_file_and_folder_are_deleted(TestPluginKind kind, bool mtls)
    {
        using var tmp = new PrivateTempDirectory();
        var run = HostRun.Start(kind, mtls);
        await run.ValueAsync("echo/a");
        var sockets = Directory.GetFiles(tmp.Path, "plugin*", SearchOption.AllDirectories);
        Assert.AreEqual(1, sockets.Length, "go-plugin listens on $TMPDIR/plugin* in the host's private folder");
        await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("crash/x"));
        Assert.IsTrue(File.Exists(sockets[0]), "os.Exit leaves the socket behind");
        await run.DisposeAsync();
        Assert.AreEqual(0, tmp.PluginLeftovers.Length, string.Join(", ", tmp.PluginLeftovers));
    }

    [TestMethod]
    public async Task Calls_after_disposal_are_refused_with_CM2040()
    {
        var run = HostRun.Start(TestPluginKind.Go, mtls: false);
        await run.DisposeAsync();
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2040", ex.Code);
    }

    [TestMethod]
    public async Task Wrapper_plugins_are_killed_with_their_whole_process_tree()
    {
        // The shell stays the plugin's parent: killing only the shell would orphan the silent plugin.
        var run = HostRun.Start(TestPluginKind.Go, mtls: false, "silent", execLine: "\"$BIN\"\nexit $?");
        var pending = run.ValueAsync("echo/x");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ProcessTable.Find(run.Binary).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.AreEqual(1, ProcessTable.Find(run.Binary).Count, "the plugin runs under the shell");
        await run.DisposeAsync(); // asserts the process table
        await Assert.ThrowsAsync<Exception>(() => pending);
    }
}
