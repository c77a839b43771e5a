using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.Tests.Plugins;

/// <summary>The one lock-file type as init edits it: read, pin, save (the host's checks are in Interop LockFileTests).</summary>
[TestClass]
public sealed class PluginLockFileTests
{
    private string _dir = null!;

    [TestInitialize]
    public void Setup() => _dir = Directory.CreateTempSubdirectory("cm-lock-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [TestMethod]
    public async Task Round_trips_sorted_entries()
    {
        var path = Path.Combine(_dir, "plugins.lock.json");
        var lockFile = PluginLockFile.Open(path);
        lockFile.Set(new PluginLockEntry("ZED", "zed-linux-amd64", new string('b', 64), "src"));
        lockFile.Set(new PluginLockEntry("alpha", "alpha-linux-amd64", new string('a', 64), "src"));
        await lockFile.SaveAsync(CancellationToken.None);

        var reloaded = PluginLockFile.Open(path);
        CollectionAssert.AreEqual(new[] { "alpha", "zed" }, reloaded.Entries.Select(e => e.Prefix).ToArray());
        Assert.AreEqual(new string('b', 64), reloaded.Find("zed")!.Sha256);
    }

    [TestMethod]
    public async Task Reads_the_plugin_hosts_minimal_format_and_keeps_its_pins_on_save()
    {
        var path = Path.Combine(_dir, "plugins.lock.json");
        await File.WriteAllTextAsync(path, "{\"plugins\":{\"Env\":{\"sha256\":\"" + new string('C', 64) + "\"}}}");

        var lockFile = PluginLockFile.Open(path);
        lockFile.Set(new PluginLockEntry("gotest", "gotest-linux-amd64", new string('d', 64), "src"));
        await lockFile.SaveAsync(CancellationToken.None);

        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var plugins = json.RootElement.GetProperty("plugins");
        Assert.AreEqual(new string('c', 64), plugins.GetProperty("env").GetProperty("sha256").GetString());
        Assert.AreEqual(new string('d', 64), plugins.GetProperty("gotest").GetProperty("sha256").GetString());
    }

    [TestMethod]
    public async Task Invalid_lock_file_is_CM2003_as_the_host_reports_it()
    {
        var path = Path.Combine(_dir, "plugins.lock.json");
        await File.WriteAllTextAsync(path, "{ not json");
        var error = Assert.ThrowsExactly<ConfigManagerException>(() => PluginLockFile.Open(path));
        Assert.AreEqual("CM2003", error.Code);
        StringAssert.Contains(error.Message, path);
    }
}
