using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ConfigManager.Core.Plugins;
using ConfigManager.TestSupport;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

[TestClass]
public sealed class InitCommandTests
{
    private string _dir = null!;
    private string _project = null!;
    private string _release = null!;

    [TestInitialize]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("cm-init-").FullName;
        _project = Path.Combine(_dir, "project");
        _release = Path.Combine(_dir, "release");
        Directory.CreateDirectory(_project);
        Directory.CreateDirectory(_release);
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    private static string FileName(string prefix) => GoPlatform.PluginFileName(prefix);

    private string Installed(string root, string prefix) => Path.Combine(root, ".configmanager", "plugins", prefix, FileName(prefix));

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [TestMethod]
    public async Task Init_from_folder_installs_into_the_working_directory_and_writes_the_lock_file()
    {
        var bytes = FakeBinary.Bytes(50_000);
        await File.WriteAllBytesAsync(Path.Combine(_release, FileName("gotest")), bytes);

        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "GOTEST", "--source", _release);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var target = Installed(_project, "gotest");
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(target));
        Assert.IsTrue((File.GetUnixFileMode(target) & UnixFileMode.UserExecute) != 0);
        StringAssert.Contains(run.Stdout, $"GOTEST: {target} sha256 {Sha(bytes)}");
        StringAssert.Contains(run.Stderr, "gotest: fetching");
        using var lockJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_project, ".configmanager", "plugins.lock.json")));
        Assert.AreEqual(Sha(bytes), lockJson.RootElement.GetProperty("plugins").GetProperty("gotest").GetProperty("sha256").GetString());
    }

    [TestMethod]
    public async Task Init_honours_plugin_dir_then_CONFIGMANAGER_DIR()
    {
        await File.WriteAllBytesAsync(Path.Combine(_release, FileName("a")), [1]);
        var explicitRoot = Path.Combine(_dir, "explicit");
        var envRoot = Path.Combine(_dir, "env");
        var env = new ToolRunOptions { Environment = { ["CONFIGMANAGER_DIR"] = envRoot } };

        Assert.AreEqual(0, (await InstalledTool.RunAsync(_project, env, "init", "--plugin", "a", "--source", _release, "--plugin-dir", explicitRoot)).ExitCode);
        Assert.AreEqual(0, (await InstalledTool.RunAsync(_project, env, "init", "--plugin", "a", "--source", _release)).ExitCode);

        Assert.IsTrue(File.Exists(Installed(explicitRoot, "a")));
        Assert.IsTrue(File.Exists(Installed(envRoot, "a")));
        Assert.IsFalse(Directory.Exists(Path.Combine(_project, ".configmanager")));
    }

    [TestMethod]
    public async Task Init_from_loopback_http_downloads_verifies_published_checksum_and_pins()
    {
        var bytes = FakeBinary.Bytes(3_000_000);
        using var server = new LoopbackFileServer();
        server.Add("/releases/v3/" + FileName("gotest"), bytes);
        server.Add("/releases/v3/" + FileName("gotest") + ".sha256", Encoding.ASCII.GetBytes(Sha(bytes) + "  " + FileName("gotest") + "\n"));

        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "gotest", "--source", server.BaseUrl + "/releases/v3");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(Installed(_project, "gotest")));
        StringAssert.Contains(run.Stdout, "verified against " + server.BaseUrl + "/releases/v3/" + FileName("gotest") + ".sha256");
        StringAssert.Contains(run.Stderr, "done");
        StringAssert.Contains(run.Stderr, "2.9 MiB");
    }

    [TestMethod]
    public async Task Init_from_http_with_wrong_published_checksum_exits_5_and_installs_nothing()
    {
        using var server = new LoopbackFileServer();
        server.Add("/" + FileName("gotest"), [1, 2, 3]);
        server.Add("/" + FileName("gotest") + ".sha256", Encoding.ASCII.GetBytes(Sha([9]) + "\n"));

        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "gotest", "--source", server.BaseUrl);

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM5053");
        Assert.IsFalse(File.Exists(Installed(_project, "gotest")));
        Assert.IsFalse(File.Exists(Path.Combine(_project, ".configmanager", "plugins.lock.json")));
    }

    [TestMethod]
    public async Task Init_from_http_404_exits_5_with_CM5052_naming_the_url()
    {
        using var server = new LoopbackFileServer();

        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "gone", "--source", server.BaseUrl);

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM5052");
        StringAssert.Contains(run.Stderr, server.BaseUrl + "/" + FileName("gone"));
    }

    [TestMethod]
    public async Task Init_with_a_different_binary_than_the_lock_pins_exits_5_with_CM5054()
    {
        await File.WriteAllBytesAsync(Path.Combine(_release, FileName("p")), [1]);
        Assert.AreEqual(0, (await InstalledTool.RunAsync(_project, null, "init", "--plugin", "p", "--source", _release)).ExitCode);
        await File.WriteAllBytesAsync(Path.Combine(_release, FileName("p")), [2]);

        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "p", "--source", _release);

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM5054");
        CollectionAssert.AreEqual(new byte[] { 1 }, await File.ReadAllBytesAsync(Installed(_project, "p")));
    }

    [TestMethod]
    public async Task Init_missing_in_folder_exits_5_with_paths_tried()
    {
        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "nothere", "--source", _release);

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM5051");
        StringAssert.Contains(run.Stderr, Path.Combine(_release, "nothere", FileName("nothere")));
    }

    [TestMethod]
    public async Task Init_with_a_traversal_or_absolute_prefix_exits_2_with_CM5050_and_writes_nothing()
    {
        await File.WriteAllBytesAsync(Path.Combine(_release, FileName("x")), [1]);
        var outside = Path.Combine(_dir, "outside", "x");
        var before = Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order().ToArray();

        var traversal = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "../../x", "--source", _release);
        var absolute = await InstalledTool.RunAsync(_project, null, "init", "--plugin", outside, "--source", _release);

        Assert.AreEqual(2, traversal.ExitCode, traversal.ToString());
        StringAssert.Contains(traversal.Stderr, "error CM5050");
        StringAssert.Contains(traversal.Stderr, "\"../../x\"");
        Assert.AreEqual(2, absolute.ExitCode, absolute.ToString());
        StringAssert.Contains(absolute.Stderr, "error CM5050");
        CollectionAssert.AreEqual(before, Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order().ToArray());
    }

    [TestMethod]
    public async Task Init_that_fails_leaves_no_empty_plugin_folder()
    {
        await File.WriteAllBytesAsync(Path.Combine(_release, FileName("p")), [1, 2, 3]);
        await File.WriteAllTextAsync(Path.Combine(_release, FileName("p") + ".sha256"), new string('0', 64) + "\n");

        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "p", "--source", _release);

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM5053");
        Assert.IsEmpty(Directory.GetFileSystemEntries(_project));
    }
}
