using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Plugins;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>Pinning plugin binaries by SHA-256: checked before launch.</summary>
[TestClass]
public sealed class LockFileTests
{
    [TestMethod]
    public async Task Pinned_plugin_with_matching_hash_runs()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var layout = PluginLayout.WithSymlink("GOTEST", binary);
        var lockPath = WriteLock(layout, "gotest", PluginLockFile.ComputeSha256(binary));
        await using var run = HostRun.Create(TestPluginKind.Go, layout, binary, mtls: true, o => o with { LockFilePath = lockPath });
        Assert.AreEqual("ok", await run.ValueAsync("echo/ok"));
    }

    [TestMethod]
    public async Task Default_lock_file_in_the_working_directory_is_used()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var layout = PluginLayout.WithSymlink("GOTEST", binary);
        WriteLock(layout, "GOTEST", new string('0', 64));
        await using var run = HostRun.Create(TestPluginKind.Go, layout, binary, mtls: false);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/ok"));
        Assert.AreEqual("CM2004", ex.Code);
        Assert.AreEqual(0, run.Host.LaunchCount, "refused before launch");
    }

    [TestMethod]
    public async Task Changed_binary_is_refused_before_launch_with_both_hashes()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var layout = PluginLayout.WithSymlink("GOTEST", binary);
        var pinned = new string('a', 64);
        var lockPath = WriteLock(layout, "gotest", pinned);
        await using var run = HostRun.Create(TestPluginKind.Go, layout, binary, mtls: false, o => o with { LockFilePath = lockPath });
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/ok"));
        Assert.AreEqual("CM2004", ex.Code);
        StringAssert.Contains(ex.Message, pinned);
        StringAssert.Contains(ex.Message, PluginLockFile.ComputeSha256(binary));
        Assert.AreEqual(0, run.Host.LaunchCount);
    }

    [TestMethod]
    public async Task Unpinned_plugin_is_refused_when_a_lock_file_is_used()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var layout = PluginLayout.WithSymlink("GOTEST", binary);
        var lockPath = WriteLock(layout, "other", new string('b', 64));
        await using var run = HostRun.Create(TestPluginKind.Go, layout, binary, mtls: false, o => o with { LockFilePath = lockPath });
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/ok"));
        Assert.AreEqual("CM2005", ex.Code);
    }

    [TestMethod]
    [DataRow("not json")]
    [DataRow("{}")]
    [DataRow("{\"plugins\":{\"gotest\":{\"sha256\":\"short\"}}}")]
    public void Invalid_lock_file_is_CM2003(string text)
    {
        using var layout = PluginLayout.Empty();
        var path = Path.Combine(layout.Root, "lock.json");
        File.WriteAllText(path, text);
        var ex = Assert.ThrowsExactly<ConfigManagerException>(() => PluginLockFile.Load(path, layout.Root));
        Assert.AreEqual("CM2003", ex.Code);
        StringAssert.Contains(ex.Message, path);
    }

    [TestMethod]
    [DataRow("{\"plugins\":{\"mark\":{\"sha256\":\"AAAA\"},\"mark\":{\"sha256\":\"BBBB\"}}}")]
    [DataRow("{\"plugins\":{\"mark\":{\"sha256\":\"AAAA\"},\"MARK\":{\"sha256\":\"BBBB\"}}}")]
    [DataRow("{\"plugins\":{\"Mark\":{\"sha256\":\"AAAA\"},\"mArK\":{\"sha256\":\"AAAA\"}}}")]
    public void Duplicate_keys_including_case_variants_are_CM2003(string template)
    {
        using var layout = PluginLayout.Empty();
        var path = Path.Combine(layout.Root, "lock.json");
        File.WriteAllText(path, template.Replace("AAAA", new string('a', 64), StringComparison.Ordinal).Replace("BBBB", new string('b', 64), StringComparison.Ordinal));
        var ex = Assert.ThrowsExactly<ConfigManagerException>(() => PluginLockFile.Load(path, layout.Root));
        Assert.AreEqual("CM2003", ex.Code);
        StringAssert.Contains(ex.Message, "more than once");
        StringAssert.Contains(ex.Message, path);
    }

    [TestMethod]
    public void A_directory_at_the_default_lock_path_is_CM2003_not_pinning_off()
    {
        using var layout = PluginLayout.Empty();
        var path = Path.Combine(layout.Root, PluginLockFile.DefaultRelativePath);
        Directory.CreateDirectory(path);
        var ex = Assert.ThrowsExactly<ConfigManagerException>(() => PluginLockFile.Load(null, layout.Root));
        Assert.AreEqual("CM2003", ex.Code);
        StringAssert.Contains(ex.Message, "directory");
        var explicitEx = Assert.ThrowsExactly<ConfigManagerException>(() => PluginLockFile.Load(path, layout.Root));
        Assert.AreEqual("CM2003", explicitEx.Code);
    }

    [TestMethod]
    public async Task Pinned_plugin_runs_from_a_private_copy_of_the_verified_bytes()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.CSharp);
        using var layout = PluginLayout.WithSymlink("CSTEST", binary);
        var lockPath = WriteLock(layout, "cstest", PluginLockFile.ComputeSha256(binary));
        var run = HostRun.Create(TestPluginKind.CSharp, layout, binary, mtls: false, o => o with { LockFilePath = lockPath });
        Assert.AreEqual("ok", await run.ValueAsync("echo/ok"));
        var pid = run.Host.PluginProcessIds.Single();
        var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget!;
        Assert.AreNotEqual(binary, exe);
        StringAssert.Contains(Path.GetFileName(Path.GetDirectoryName(exe)!), "cmplugin-");
        Assert.AreEqual(PluginLockFile.ComputeSha256(binary), PluginLockFile.ComputeSha256(exe));
        Assert.AreEqual("700", Convert.ToString((int)File.GetUnixFileMode(exe), 8));
        await run.DisposeAsync();
        ProcessTable.AssertNoneRunning(exe);
        Assert.IsFalse(Directory.Exists(Path.GetDirectoryName(exe)), "the launch folder and its copy were removed");
    }

    [TestMethod]
    public async Task Swapping_the_pinned_file_during_launches_never_runs_an_unpinned_binary()
    {
        // Before: the hash was taken from the path, the process started from the path ~55 ms later; 6 of 25 ran the swap.
        var binary = TestPlugins.BinaryPath(TestPluginKind.CSharp);
        using var layout = PluginLayout.WithSymlink("CSTEST", binary);
        var lockPath = WriteLock(layout, "cstest", PluginLockFile.ComputeSha256(binary));
        var target = layout.PluginPath("CSTEST");
        var marker = Path.Combine(layout.Root, "unpinned-ran");
        var evil = Path.Combine(layout.Root, "evil");
        File.WriteAllText(evil, $"#!/bin/sh\ntouch '{marker}'\nexec '{binary}'\n");
        File.SetUnixFileMode(evil, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(async () =>
        {
            var staging = target + ".swap";
            var flip = false;
            while (!stop.IsCancellationRequested)
            {
                File.Delete(staging);
                File.CreateSymbolicLink(staging, flip ? evil : binary);
                File.Move(staging, target, overwrite: true);
                flip = !flip;
                await Task.Delay(3);
            }
        });

        var outcomes = new List<string>();
        try
        {
            for (var i = 0; i < 25; i++)
            {
                // A host per launch (HostRun would delete the shared layout on dispose).
                await using var host = new Core.GoPlugin.PluginHost(
                    new Core.GoPlugin.PluginHostOptions { PluginDirectory = layout.Root, WorkingDirectory = layout.Root, HomeDirectory = layout.Root, LockFilePath = lockPath },
                    new RecordingLogSink(),
                    new Core.Logging.SecretMask());
                try
                {
                    outcomes.Add(await host.GetValueAsync(new("CSTEST", "echo/ok", string.Empty), CancellationToken.None));
                }
                catch (ConfigManagerException ex)
                {
                    outcomes.Add(ex.Code);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await swapper;
        }

        Assert.IsFalse(File.Exists(marker), "an unpinned binary ran: " + string.Join(",", outcomes));
        ProcessTable.AssertNoneRunning(binary);
        CollectionAssert.IsSubsetOf(outcomes.Distinct().ToList(), new[] { "ok", "CM2004" }, string.Join(",", outcomes));
        if (!(outcomes.Contains("ok") && outcomes.Contains("CM2004")))
        {
            Assert.Inconclusive("the swap did not race with the launches both ways: " + string.Join(",", outcomes));
        }
    }

    [TestMethod]
    public void Missing_explicit_lock_file_is_CM2003_but_missing_default_means_no_pinning()
    {
        using var layout = PluginLayout.Empty();
        Assert.IsNull(PluginLockFile.Load(null, layout.Root));
        var ex = Assert.ThrowsExactly<ConfigManagerException>(() => PluginLockFile.Load(Path.Combine(layout.Root, "nope.json"), layout.Root));
        Assert.AreEqual("CM2003", ex.Code);
    }

    private static string WriteLock(PluginLayout layout, string key, string sha)
    {
        var path = Path.Combine(layout.Root, ".configmanager", "plugins.lock.json");
        File.WriteAllText(path, $"{{\"plugins\":{{\"{key}\":{{\"sha256\":\"{sha}\"}}}}}}");
        return path;
    }
}
