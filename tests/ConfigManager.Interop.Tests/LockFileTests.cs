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
