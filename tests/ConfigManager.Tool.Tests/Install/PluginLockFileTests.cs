using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Install;
using ConfigManager.Core.Resolution;

namespace ConfigManager.Tool.Tests.Install;

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
        var lockFile = await PluginLockFile.LoadAsync(path, CancellationToken.None);
        lockFile.Set(new PluginLockEntry("ZED", "zed-linux-amd64", new string('b', 64), "src"));
        lockFile.Set(new PluginLockEntry("alpha", "alpha-linux-amd64", new string('a', 64), "src"));
        await lockFile.SaveAsync(CancellationToken.None);

        var reloaded = await PluginLockFile.LoadAsync(path, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "alpha", "zed" }, reloaded.Entries.Select(e => e.Prefix).ToArray());
        Assert.AreEqual(new string('b', 64), reloaded.Find("zed")!.Sha256);
    }

    [TestMethod]
    public async Task Reads_the_plugin_hosts_minimal_format_and_keeps_its_pins_on_save()
    {
        var path = Path.Combine(_dir, "plugins.lock.json");
        await File.WriteAllTextAsync(path, "{\"plugins\":{\"Env\":{\"sha256\":\"" + new string('C', 64) + "\"}}}");

        var lockFile = await PluginLockFile.LoadAsync(path, CancellationToken.None);
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
        var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => PluginLockFile.LoadAsync(path, CancellationToken.None));
        Assert.AreEqual("CM5055", error.Code);
        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public async Task Pinned_source_refuses_a_swapped_binary_before_the_first_request()
    {
        var layout = new PluginLayout([_dir], new PluginPlatform("linux", "amd64"));
        var plugin = layout.PathUnder(_dir, "p");
        Directory.CreateDirectory(Path.GetDirectoryName(plugin)!);
        await File.WriteAllBytesAsync(plugin, [1]);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var lockFile = await PluginLockFile.LoadAsync(layout.LockFilePath, CancellationToken.None);
        lockFile.Set(new PluginLockEntry("p", "p-linux-amd64", await PluginLockFile.Sha256OfFileAsync(plugin, CancellationToken.None), "test"));
        var inner = new CountingSource();

        Assert.AreEqual("v", await new PinnedPluginSource(inner, layout, lockFile).GetValueAsync(new ValueRequest("P", "x", ""), CancellationToken.None));

        await File.WriteAllBytesAsync(plugin, [2]);
        var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(
            () => new PinnedPluginSource(inner, layout, lockFile).GetValueAsync(new ValueRequest("P", "x", ""), CancellationToken.None));
        Assert.AreEqual("CM5054", error.Code);
        Assert.AreEqual(plugin, error.PluginPath);
        Assert.AreEqual(1, inner.Calls, "the swapped binary was never asked");
    }

    [TestMethod]
    public async Task Missing_plugin_is_CM5056_listing_every_path_tried()
    {
        var other = Path.Combine(_dir, "home");
        var layout = new PluginLayout([_dir, other], new PluginPlatform("linux", "amd64"));
        var lockFile = await PluginLockFile.LoadAsync(layout.LockFilePath, CancellationToken.None);

        var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(
            () => new PinnedPluginSource(new CountingSource(), layout, lockFile).GetValueAsync(new ValueRequest("GOTEST", "x", ""), CancellationToken.None));

        Assert.AreEqual("CM5056", error.Code);
        StringAssert.Contains(error.Message, layout.PathUnder(_dir, "gotest"));
        StringAssert.Contains(error.Message, layout.PathUnder(other, "gotest"));
        StringAssert.Contains(error.Message, "init --plugin gotest");
    }

    [TestMethod]
    public void Layout_uses_go_names_and_lower_case_prefix_folders()
    {
        var layout = new PluginLayout(["/r"], new PluginPlatform("linux", "arm64"));
        Assert.AreEqual("/r/.configmanager/plugins/awssecrets/awssecrets-linux-arm64", layout.PathUnder("/r", "AWSSECRETS"));
        Assert.AreEqual("/r/.configmanager/plugins.lock.json", layout.LockFilePath);
        Assert.AreEqual("x-windows-amd64.exe", new PluginPlatform("windows", "amd64").FileNameFor("X"));
    }

    private sealed class CountingSource : IValueSource
    {
        public int Calls { get; private set; }

        public Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult("v");
        }
    }
}
