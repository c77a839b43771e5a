using System.Security.Cryptography;
using System.Text.Json;
using ConfigManager.Core.Plugins;
using ConfigManager.TestSupport;
using ConfigManager.Tool.Install;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.Install;

/// <summary>
/// <c>init --plugin &lt;p&gt;</c> from NuGet with NuGet's client: a loopback HTTP v3 feed (static index.json + flat container)
/// named by a NuGet.Config in the test's folder that clears every other source, and a folder feed given as --source.
/// </summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NuGetInitTests
{
    private const string PackageId = "ConfigManager.Plugin.Acme";

    private string _dir = null!;
    private HttpClient _http = null!;

    [TestInitialize]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("cm-nuget-init-").FullName;
        _http = new HttpClient();
    }

    [TestCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Root => Path.Combine(_dir, "project");

    private string Target => Path.Combine(Root, ".configmanager", "plugins", "acme", GoPlatform.PluginFileName("acme"));

    private string LockPath => Path.Combine(Root, ".configmanager", "plugins.lock.json");

    private PluginInstaller Installer() => new(new InstallLayout(new PluginLocator(Root, Root, Root)), _http)
    {
        Feed = new NuGetPluginFeed(),
        WorkingDirectory = _dir,
    };

    private static byte[] Package(string version, byte[] binary, string? rid = null, string? recordedSha256 = null)
        => LoopbackNuGetFeed.Package(PackageId, "acme", version, binary, rid, recordedSha256);

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private LoopbackFileServer Feed(params (string Version, byte[] Package)[] packages) => LoopbackNuGetFeed.Serve(_dir, PackageId, packages);

    [TestMethod]
    public async Task Without_source_the_newest_stable_version_comes_from_the_configured_http_feed_executable_and_pinned_with_package_and_version()
    {
        var old = FakeBinary.Bytes(50_000);
        var current = FakeBinary.Bytes(60_000);
        var beta = FakeBinary.Bytes(70_000);
        using var server = Feed(("1.0.0", Package("1.0.0", old)), ("1.1.0", Package("1.1.0", current)), ("2.0.0-beta.1", Package("2.0.0-beta.1", beta)));
        var progress = new List<InstallProgress>();

        var result = await Installer().InstallAsync(["ACME"], null, new SyncProgress(progress), CancellationToken.None);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        CollectionAssert.AreEqual(current, await File.ReadAllBytesAsync(Target));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Target));
        var installed = result.Installed.Single();
        Assert.AreEqual((PackageId, "1.1.0"), (installed.Package, installed.Version));
        using var lockJson = JsonDocument.Parse(await File.ReadAllTextAsync(LockPath));
        var entry = lockJson.RootElement.GetProperty("plugins").GetProperty("acme");
        Assert.AreEqual(Sha(current), entry.GetProperty("sha256").GetString());
        Assert.AreEqual(PackageId, entry.GetProperty("package").GetString());
        Assert.AreEqual("1.1.0", entry.GetProperty("version").GetString());
        Assert.IsFalse((await File.ReadAllTextAsync(LockPath)).Contains(_dir, StringComparison.Ordinal), "no local absolute path in the lock file");
        Assert.IsNotNull(PluginLockFile.Load(LockPath, Root), "the host's lock-file reader accepts it (CM2003 otherwise)");
        Assert.IsTrue(progress.Last().Completed);
        Assert.IsFalse(server.Requests.Any(r => r.Contains("2.0.0-beta.1/", StringComparison.Ordinal)), "the prerelease was not downloaded");
    }

    [TestMethod]
    public async Task Version_option_installs_that_version_even_over_an_installed_plugin()
    {
        var old = FakeBinary.Bytes(50_000);
        var beta = FakeBinary.Bytes(70_000);
        using var server = Feed(("1.0.0", Package("1.0.0", old)), ("2.0.0-beta.1", Package("2.0.0-beta.1", beta)));

        var first = await Installer().InstallAsync(["acme"], null, null, CancellationToken.None, version: "1.0.0");
        File.Delete(LockPath);
        var second = await Installer().InstallAsync(["acme"], null, null, CancellationToken.None, version: "2.0.0-beta.1");

        Assert.IsTrue(first.Succeeded, string.Join("\n", first.Diagnostics));
        Assert.IsTrue(second.Succeeded, string.Join("\n", second.Diagnostics));
        CollectionAssert.AreEqual(beta, await File.ReadAllBytesAsync(Target));
        Assert.AreEqual("2.0.0-beta.1", second.Installed.Single().Version);
    }

    [TestMethod]
    public async Task Unknown_version_is_CM5051_listing_the_versions_the_feed_has()
    {
        using var server = Feed(("1.0.0", Package("1.0.0", [1, 2, 3])));

        var result = await Installer().InstallAsync(["acme"], null, null, CancellationToken.None, version: "9.9.9");

        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5051", error.Code);
        StringAssert.Contains(error.Message, "1.0.0");
        Assert.IsFalse(Directory.Exists(Root));
    }

    [TestMethod]
    public async Task Folder_feed_as_source_installs_from_its_nupkg_files()
    {
        var binary = FakeBinary.Bytes(40_000);
        var feed = Path.Combine(_dir, "feed");
        Directory.CreateDirectory(feed);
        await File.WriteAllBytesAsync(Path.Combine(feed, $"{PackageId}.3.0.0.nupkg"), Package("3.0.0", binary));

        var result = await Installer().InstallAsync(["acme"], feed, null, CancellationToken.None);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        CollectionAssert.AreEqual(binary, await File.ReadAllBytesAsync(Target));
        Assert.AreEqual("3.0.0", result.Installed.Single().Version);
        StringAssert.Contains(result.Installed.Single().Source, "local feed");
        Assert.IsFalse((await File.ReadAllTextAsync(LockPath)).Contains(feed, StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Package_whose_binary_differs_from_its_recorded_sha256_is_CM5053_and_nothing_is_written()
    {
        using var server = Feed(("1.0.0", Package("1.0.0", [1, 2, 3], recordedSha256: new string('e', 64))));

        var result = await Installer().InstallAsync(["acme"], null, null, CancellationToken.None);

        Assert.AreEqual("CM5053", result.Diagnostics.Single().Code);
        Assert.IsFalse(Directory.Exists(Root));
    }

    [TestMethod]
    public async Task Package_without_this_platform_is_CM5051_naming_the_rids_it_has()
    {
        using var server = Feed(("1.0.0", Package("1.0.0", [1, 2, 3], rid: "osx-arm64")));

        var result = await Installer().InstallAsync(["acme"], null, null, CancellationToken.None);

        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5051", error.Code);
        StringAssert.Contains(error.Message, "osx-arm64");
        Assert.IsFalse(Directory.Exists(Root));
    }

    [TestMethod]
    public async Task Package_not_on_any_source_is_CM5051()
    {
        using var server = Feed();

        var result = await Installer().InstallAsync(["acme"], null, null, CancellationToken.None);

        Assert.AreEqual("CM5051", result.Diagnostics.Single().Code);
        StringAssert.Contains(result.Diagnostics.Single().Message, PackageId);
    }

    [TestMethod]
    [DataRow("../../etc")]
    [DataRow("/abs")]
    [DataRow("acme/../x")]
    public async Task Traversal_prefix_is_CM5050_before_any_feed_request(string prefix)
    {
        using var server = Feed(("1.0.0", Package("1.0.0", [1])));

        var result = await Installer().InstallAsync([prefix], null, null, CancellationToken.None);

        Assert.AreEqual("CM5050", result.Diagnostics.Single().Code);
        Assert.IsTrue(server.Requests.IsEmpty);
        Assert.IsFalse(Directory.Exists(Root));
    }

    private sealed class SyncProgress(List<InstallProgress> sink) : IProgress<InstallProgress>
    {
        public void Report(InstallProgress value) => sink.Add(value);
    }
}
