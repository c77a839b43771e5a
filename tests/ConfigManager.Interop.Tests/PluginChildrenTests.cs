using ConfigManager.Core.Diagnostics;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>Processes a plugin starts end with it (each plugin runs in its own process group), and their pipes cannot stall the host.</summary>
[TestClass]
public sealed class PluginChildrenTests
{
    [TestMethod]
    [DataRow(TestPluginKind.CSharp, "echo/a")]
    [DataRow(TestPluginKind.CSharp, "error/boom")]
    [DataRow(TestPluginKind.CSharp, "crash/now")]
    [DataRow(TestPluginKind.Go, "echo/a")]
    [DataRow(TestPluginKind.Go, "error/boom")]
    [DataRow(TestPluginKind.Go, "crash/now")]
    public async Task A_child_that_ignores_SIGTERM_ends_with_the_run(TestPluginKind kind, string storePath)
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"cm-child-{Guid.NewGuid():N}.pid");
        var run = HostRun.Start(kind, mtls: false, execLine:
            $"sh -c 'trap \"\" TERM; echo $$ > \"$0\"; exec sleep 314' '{pidFile}' </dev/null >/dev/null 2>&1 &\nexec \"$BIN\"");
        try
        {
            try
            {
                await run.ValueAsync(storePath);
            }
            catch (ConfigManagerException)
            {
                // error and crash rows fail the call; what matters is what is left afterwards.
            }

            var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.IsTrue(IsAlive(child), "precondition: the plugin's child runs during the run");
            await run.DisposeAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (IsAlive(child) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.IsFalse(IsAlive(child), $"the plugin's child {child} outlived the run");
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [TestMethod]
    [DataRow(TestPluginKind.CSharp)]
    [DataRow(TestPluginKind.Go)]
    public async Task Plugin_that_exits_while_its_child_holds_stdout_is_CM2011_with_the_exit_code_in_seconds(TestPluginKind kind)
    {
        // The 60 s handshake timeout is what the host waited before; the exit is seen within the 2 s read grace.
        await using var run = HostRun.Start(kind, mtls: false, configure: o => o with { HandshakeTimeout = TimeSpan.FromSeconds(60) },
            execLine: "sleep 30 </dev/null 2>/dev/null &\necho 'dying now' >&2\nexit 1");
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2011", ex.Code, ex.Message);
        StringAssert.Contains(ex.Message, "exit code 1");
        StringAssert.Contains(ex.Message, "dying now");
        Assert.IsTrue(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), $"took {DateTime.UtcNow - started}");
    }

    [TestMethod]
    [DataRow(TestPluginKind.CSharp)]
    [DataRow(TestPluginKind.Go)]
    public async Task First_line_longer_than_64_KiB_is_CM2013_without_reading_it_all(TestPluginKind kind)
    {
        // 300 MB without a newline: the host stops at the cap instead of buffering it (it used to peak at 1.7 GB).
        await using var run = HostRun.Start(kind, mtls: false, execLine: "head -c 300000000 /dev/zero | tr '\\0' x\nexec \"$BIN\"");
        var before = GC.GetTotalAllocatedBytes();
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2013", ex.Code, ex.Message);
        StringAssert.Contains(ex.Message, "64 KiB");
        StringAssert.Contains(ex.Message, run.Layout.PluginPath(run.Prefix));
        Assert.IsTrue(GC.GetTotalAllocatedBytes() - before < 200_000_000, "the host read far past the cap");
    }

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
