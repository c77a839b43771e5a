using ConfigManager.Core.Output;
using ConfigManager.Core.Plugins;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

[TestClass]
public sealed class PluginsCommandTests
{
    private string _dir = null!;

    [TestInitialize]
    public void Setup() => _dir = Directory.CreateTempSubdirectory("cm-plugins-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    private string Install(string root, string prefix, byte[] content)
    {
        var path = Path.Combine(root, ".configmanager", "plugins", prefix, GoPlatform.PluginFileName(prefix));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, AtomicFile.ExecutableMode);
        return path;
    }

    [TestMethod]
    public async Task Lists_prefixes_used_in_inputs_with_the_path_found_or_every_path_tried()
    {
        var home = Path.Combine(_dir, "home");
        var found = Install(home, "gotest", [1]);
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"), """{"a":"GOTEST:///echo/x","b":"AWSSECRETS:///db"}""");

        var run = await InstalledTool.RunAsync(_dir, new ToolRunOptions { Home = home }, "plugins", "-i", "appsettings.json", "--prefix", "GOTEST");

        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, $"GOTEST: {found} (no lock file)");
        StringAssert.Contains(run.Stdout, "AWSSECRETS: not found; tried "
            + Path.Combine(_dir, ".configmanager", "plugins", "awssecrets", GoPlatform.PluginFileName("awssecrets")) + ", "
            + Path.Combine(home, ".configmanager", "plugins", "awssecrets", GoPlatform.PluginFileName("awssecrets")));
    }

    [TestMethod]
    public async Task Without_inputs_lists_installed_plugins_and_lock_status()
    {
        var release = Path.Combine(_dir, "release");
        Directory.CreateDirectory(release);
        await File.WriteAllBytesAsync(Path.Combine(release, GoPlatform.PluginFileName("alpha")), [1]);
        Assert.AreEqual(0, (await InstalledTool.RunAsync(_dir, null, "init", "--plugin", "alpha", "--source", release)).ExitCode);

        var ok = await InstalledTool.RunAsync(_dir, null, "plugins");
        Assert.AreEqual(0, ok.ExitCode, ok.ToString());
        StringAssert.Contains(ok.Stdout, "ALPHA: ");
        StringAssert.Contains(ok.Stdout, "matches lock");

        Install(_dir, "alpha", [2]);
        var mismatch = await InstalledTool.RunAsync(_dir, null, "plugins");
        Assert.AreEqual(5, mismatch.ExitCode, mismatch.ToString());
        StringAssert.Contains(mismatch.Stdout, "SHA-256 MISMATCH with lock");
        StringAssert.Contains(mismatch.Stderr, "error CM2004");
    }
}
