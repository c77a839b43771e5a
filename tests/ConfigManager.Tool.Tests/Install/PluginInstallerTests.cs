using System.Security.Cryptography;
using System.Text.Json;
using ConfigManager.Core.Plugins;
using ConfigManager.TestSupport;
using ConfigManager.Tool.Install;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.Install;

[TestClass]
public sealed class PluginInstallerTests
{
    private string _dir = null!;
    private string _root = null!;
    private string _source = null!;
    private HttpClient _http = null!;

    [TestInitialize]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("cm-install-").FullName;
        _root = Path.Combine(_dir, "project");
        _source = Path.Combine(_dir, "release");
        Directory.CreateDirectory(_source);
        _http = new HttpClient();
    }

    [TestCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private PluginInstaller Installer() => new(new InstallLayout(new PluginLocator(_root, _root, _root)), _http);

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private string Target(string prefix) => Path.Combine(_root, ".configmanager", "plugins", prefix, Name(prefix));

    private static string Name(string prefix) => GoPlatform.PluginFileName(prefix);

    private string LockPath => Path.Combine(_root, ".configmanager", "plugins.lock.json");

    [TestMethod]
    public async Task From_folder_installs_executable_into_layout_and_pins_it()
    {
        var bytes = FakeBinary.Bytes(200_000);
        await File.WriteAllBytesAsync(Path.Combine(_source, Name("gotest")), bytes);
        var progress = new List<InstallProgress>();

        var result = await Installer().InstallAsync(["GOTEST"], _source, new SyncProgress(progress), CancellationToken.None);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(Target("gotest")));
        Assert.IsTrue((File.GetUnixFileMode(Target("gotest")) & UnixFileMode.UserExecute) != 0);
        Assert.AreEqual(Sha(bytes), result.Installed.Single().Sha256);
        Assert.IsTrue(progress.Last().Completed);
        Assert.AreEqual(200_000, progress.Last().BytesDone);

        using var lockJson = JsonDocument.Parse(await File.ReadAllTextAsync(LockPath));
        // The plugin host's lock format: {"plugins":{"<prefix>":{"sha256":...}}}.
        var entry = lockJson.RootElement.GetProperty("plugins").GetProperty("gotest");
        Assert.AreEqual(Name("gotest"), entry.GetProperty("file").GetString());
        Assert.AreEqual(Sha(bytes), entry.GetProperty("sha256").GetString());
        Assert.AreEqual(PluginInstaller.LocalFolderSource, entry.GetProperty("source").GetString());
        Assert.IsFalse((await File.ReadAllTextAsync(LockPath)).Contains(_dir, StringComparison.Ordinal), "no local absolute path in the lock file");
    }

    [TestMethod]
    public async Task From_folder_finds_prefix_subfolder_and_configmanager_layout()
    {
        Directory.CreateDirectory(Path.Combine(_source, "a"));
        Directory.CreateDirectory(Path.Combine(_source, ".configmanager", "plugins", "b"));
        await File.WriteAllBytesAsync(Path.Combine(_source, "a", Name("a")), [1]);
        await File.WriteAllBytesAsync(Path.Combine(_source, ".configmanager", "plugins", "b", Name("b")), [2]);

        var result = await Installer().InstallAsync(["a", "b"], _source, null, CancellationToken.None);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        CollectionAssert.AreEqual(new byte[] { 1 }, await File.ReadAllBytesAsync(Target("a")));
        CollectionAssert.AreEqual(new byte[] { 2 }, await File.ReadAllBytesAsync(Target("b")));
    }

    [TestMethod]
    public async Task Missing_in_folder_is_CM5051_listing_paths_tried_and_others_still_install()
    {
        await File.WriteAllBytesAsync(Path.Combine(_source, Name("ok")), [1]);

        var result = await Installer().InstallAsync(["missing", "ok"], _source, null, CancellationToken.None);

        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5051", error.Code);
        StringAssert.Contains(error.Message, Path.Combine(_source, "missing", Name("missing")));
        Assert.AreEqual("ok", result.Installed.Single().Prefix);
        Assert.IsFalse(File.Exists(Target("missing")));
    }

    [TestMethod]
    public async Task Published_sha256_that_differs_is_CM5053_and_nothing_is_installed()
    {
        await File.WriteAllBytesAsync(Path.Combine(_source, Name("p")), [1, 2, 3]);
        await File.WriteAllTextAsync(Path.Combine(_source, Name("p") + ".sha256"), new string('0', 64) + "  " + Name("p") + "\n");

        var result = await Installer().InstallAsync(["p"], _source, null, CancellationToken.None);

        Assert.AreEqual("CM5053", result.Diagnostics.Single().Code);
        Assert.IsFalse(File.Exists(Target("p")));
        Assert.IsFalse(File.Exists(LockPath));
        Assert.IsFalse(Directory.Exists(Path.Combine(_root, ".configmanager")), "no temp file and no empty plugin folder left");
    }

    [TestMethod]
    public async Task From_http_downloads_with_progress_and_verifies_published_sha256()
    {
        var bytes = FakeBinary.Bytes(1_000_000);
        using var server = new LoopbackFileServer();
        server.Add("/v1/" + Name("gotest"), bytes);
        server.Add("/v1/" + Name("gotest") + ".sha256", System.Text.Encoding.ASCII.GetBytes(Sha(bytes) + "  " + Name("gotest") + "\n"));
        var progress = new List<InstallProgress>();

        var result = await Installer().InstallAsync(["gotest"], server.BaseUrl + "/v1/", new SyncProgress(progress), CancellationToken.None);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(Target("gotest")));
        Assert.AreEqual(server.BaseUrl + "/v1/" + Name("gotest") + ".sha256", result.Installed.Single().VerifiedAgainst.Single());
        Assert.AreEqual(1_000_000L, progress.Last().TotalBytes);
        Assert.IsTrue(progress.Count > 2, "progress is reported while downloading");
    }

    [TestMethod]
    public async Task Http_404_is_CM5052_naming_the_url()
    {
        using var server = new LoopbackFileServer();

        var result = await Installer().InstallAsync(["nope"], server.BaseUrl, null, CancellationToken.None);

        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5052", error.Code);
        StringAssert.Contains(error.Message, "404");
        StringAssert.Contains(error.Message, server.BaseUrl + "/" + Name("nope"));
        Assert.IsFalse(File.Exists(Target("nope")));
        Assert.IsFalse(Directory.Exists(_root), "a failed download leaves no empty plugin folder (nor the project root it created)");
    }

    [TestMethod]
    public async Task Failed_install_keeps_folders_that_existed_and_removes_only_the_ones_it_created()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Target("kept"))!);
        await File.WriteAllBytesAsync(Path.Combine(_source, Name("p")), [1, 2, 3]);
        await File.WriteAllTextAsync(Path.Combine(_source, Name("p") + ".sha256"), new string('0', 64) + "\n");

        var result = await Installer().InstallAsync(["p"], _source, null, CancellationToken.None);

        Assert.AreEqual("CM5053", result.Diagnostics.Single().Code);
        Assert.IsFalse(Directory.Exists(Path.GetDirectoryName(Target("p"))));
        Assert.IsTrue(Directory.Exists(Path.GetDirectoryName(Target("kept"))));
    }

    [TestMethod]
    [DataRow("../../x")]
    [DataRow("../x")]
    [DataRow("a/b")]
    [DataRow("..")]
    [DataRow("")]
    [DataRow("1abc")]
    [DataRow("a-b")]
    [DataRow("a\u0131")]
    public async Task Prefix_outside_the_grammar_is_CM5050_and_nothing_is_written_anywhere(string prefix)
    {
        await File.WriteAllBytesAsync(Path.Combine(_source, Name("good")), [1]);
        var before = Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order().ToArray();

        // A valid prefix beside the bad one is not installed either: a usage error stops the whole run.
        var result = await Installer().InstallAsync(["good", prefix], _source, null, CancellationToken.None);

        Assert.IsEmpty(result.Installed);
        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5050", error.Code);
        StringAssert.Contains(error.Message, $"\"{prefix}\"");
        StringAssert.Contains(error.Message, "CM1012");
        CollectionAssert.AreEqual(before, Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order().ToArray());
    }

    [TestMethod]
    public async Task Absolute_prefix_with_http_source_is_CM5050_before_any_request()
    {
        using var server = new LoopbackFileServer();
        var outside = Path.Combine(_dir, "outside", "zz");

        var result = await Installer().InstallAsync([outside], server.BaseUrl, null, CancellationToken.None);

        Assert.AreEqual("CM5050", result.Diagnostics.Single().Code);
        Assert.IsEmpty(server.Requests);
        Assert.IsFalse(Directory.Exists(Path.Combine(_dir, "outside")));
        Assert.IsFalse(Directory.Exists(_root));
    }

    [TestMethod]
    public async Task Lock_pin_mismatch_is_CM5054_and_keeps_the_pinned_binary()
    {
        await File.WriteAllBytesAsync(Path.Combine(_source, Name("p")), [1]);
        Assert.IsTrue((await Installer().InstallAsync(["p"], _source, null, CancellationToken.None)).Succeeded);
        await File.WriteAllBytesAsync(Path.Combine(_source, Name("p")), [2]);

        var result = await Installer().InstallAsync(["p"], _source, null, CancellationToken.None);

        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5054", error.Code);
        StringAssert.Contains(error.Message, Sha([1]));
        StringAssert.Contains(error.Message, Sha([2]));
        CollectionAssert.AreEqual(new byte[] { 1 }, await File.ReadAllBytesAsync(Target("p")));
    }

    [TestMethod]
    public async Task Without_source_an_installed_plugin_is_pinned_and_a_missing_one_is_CM5058()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Target("here"))!);
        await File.WriteAllBytesAsync(Target("here"), [7]);

        var result = await Installer().InstallAsync(["here", "absent"], null, null, CancellationToken.None);

        Assert.AreEqual(Sha([7]), result.Installed.Single().Sha256);
        Assert.AreEqual("CM5058", result.Diagnostics.Single().Code);
        var lockFile = PluginLockFile.Open(LockPath);
        Assert.AreEqual(Sha([7]), lockFile.Find("HERE")!.Sha256);
    }

    /// <summary>Progress&lt;T&gt; posts asynchronously; tests need every report, in order.</summary>
    private sealed class SyncProgress(List<InstallProgress> sink) : IProgress<InstallProgress>
    {
        public void Report(InstallProgress value) => sink.Add(value);
    }
}
