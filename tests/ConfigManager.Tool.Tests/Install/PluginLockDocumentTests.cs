using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Install;

namespace ConfigManager.Tool.Tests.Install;

[TestClass]
public sealed class PluginLockDocumentTests
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
        var lockFile = await PluginLockDocument.LoadAsync(path, CancellationToken.None);
        lockFile.Set(new PluginLockEntry("ZED", "zed-linux-amd64", new string('b', 64), "src"));
        lockFile.Set(new PluginLockEntry("alpha", "alpha-linux-amd64", new string('a', 64), "src"));
        await lockFile.SaveAsync(CancellationToken.None);

        var reloaded = await PluginLockDocument.LoadAsync(path, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "alpha", "zed" }, reloaded.Entries.Select(e => e.Prefix).ToArray());
        Assert.AreEqual(new string('b', 64), reloaded.Find("zed")!.Sha256);
    }

    [TestMethod]
    public async Task Reads_the_plugin_hosts_minimal_format_and_keeps_its_pins_on_save()
    {
        var path = Path.Combine(_dir, "plugins.lock.json");
        await File.WriteAllTextAsync(path, "{\"plugins\":{\"Env\":{\"sha256\":\"" + new string('C', 64) + "\"}}}");

        var lockFile = await PluginLockDocument.LoadAsync(path, CancellationToken.None);
        lockFile.Set(new PluginLockEntry("gotest", "gotest-linux-amd64", new string('d', 64), "src"));
        await lockFile.SaveAsync(CancellationToken.None);

        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var plugins = json.RootElement.GetProperty("plugins");
        Assert.AreEqual(new string('c', 64), plugins.GetProperty("env").GetProperty("sha256").GetString());
        Assert.AreEqual(new string('d', 64), plugins.GetProperty("gotest").GetProperty("sha256").GetString());
    }

    [TestMethod]
    public async Task Invalid_lock_file_is_CM5055()
    {
        var path = Path.Combine(_dir, "plugins.lock.json");
        await File.WriteAllTextAsync(path, "{ not json");
        var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => PluginLockDocument.LoadAsync(path, CancellationToken.None));
        Assert.AreEqual("CM5055", error.Code);
        StringAssert.Contains(error.Message, path);
    }
}
