using System.Security.Cryptography;
using ConfigManager.Core.Plugins;
using ConfigManager.TestSupport;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

/// <summary>The installed tool (its NativeAOT build on linux-x64) installs a plugin from NuGet and warns about prefixes with no plugin.</summary>
[TestClass]
public sealed class InitFromNuGetTests
{
    private const string PackageId = "ConfigManager.Plugin.Acme";

    private string _project = null!;

    [TestInitialize]
    public void Setup() => _project = Directory.CreateTempSubdirectory("cm-init-nuget-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_project, recursive: true);

    [TestMethod]
    public async Task Init_without_source_installs_the_newest_stable_package_from_the_configured_feed()
    {
        var binary = FakeBinary.Bytes(200_000);
        using var server = LoopbackNuGetFeed.Serve(
            _project,
            PackageId,
            ("1.0.0", LoopbackNuGetFeed.Package(PackageId, "acme", "1.0.0", FakeBinary.Bytes(10))),
            ("1.2.0", LoopbackNuGetFeed.Package(PackageId, "acme", "1.2.0", binary)));

        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "acme");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var installed = Path.Combine(_project, ".configmanager", "plugins", "acme", GoPlatform.PluginFileName("acme"));
        CollectionAssert.AreEqual(binary, await File.ReadAllBytesAsync(installed));
        StringAssert.Contains(run.Stdout, PackageId + " 1.2.0 from " + server.BaseUrl);
        var lockText = await File.ReadAllTextAsync(Path.Combine(_project, ".configmanager", "plugins.lock.json"));
        StringAssert.Contains(lockText, "\"version\": \"1.2.0\"");
        var plugins = await InstalledTool.RunAsync(_project, null, "plugins");
        Assert.AreEqual(0, plugins.ExitCode, plugins.ToString());
        StringAssert.Contains(plugins.Stdout, $"ACME: {installed} (sha256 {Convert.ToHexStringLower(SHA256.HashData(binary))} matches lock; from package {PackageId} 1.2.0)");
    }

    [TestMethod]
    public async Task Init_with_version_installs_that_version()
    {
        var binary = FakeBinary.Bytes(1000);
        using var server = LoopbackNuGetFeed.Serve(
            _project,
            PackageId,
            ("1.0.0", LoopbackNuGetFeed.Package(PackageId, "acme", "1.0.0", binary)),
            ("1.2.0", LoopbackNuGetFeed.Package(PackageId, "acme", "1.2.0", FakeBinary.Bytes(10))));

        var run = await InstalledTool.RunAsync(_project, null, "init", "--plugin", "acme", "--version", "1.0.0");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        CollectionAssert.AreEqual(binary, await File.ReadAllBytesAsync(Path.Combine(_project, ".configmanager", "plugins", "acme", GoPlatform.PluginFileName("acme"))));
    }

    [TestMethod]
    public async Task Scan_and_string_input_warn_CM2050_for_a_prefix_no_plugin_serves_and_strict_fails()
    {
        await File.WriteAllTextAsync(Path.Combine(_project, "appsettings.json"), "{\n  \"A\": \"ACME:///db|password\"\n}\n");

        var scan = await InstalledTool.RunAsync(_project, null, "scan", "-i", "appsettings.json");
        var strict = await InstalledTool.RunAsync(_project, null, "scan", "-i", "appsettings.json", "--strict-prefixes");
        var input = await InstalledTool.RunAsync(_project, null, "string-input", "-i", "appsettings.json", "-p", "stdout");

        Assert.AreEqual(0, scan.ExitCode, scan.ToString());
        StringAssert.Contains(scan.Stderr, "appsettings.json(2,9): warning CM2050");
        StringAssert.Contains(scan.Stderr, "dotnet configmanager init --plugin acme");
        Assert.AreNotEqual(0, strict.ExitCode, strict.ToString());
        StringAssert.Contains(strict.Stderr, "error CM2050");
        Assert.AreEqual(0, input.ExitCode, input.ToString());
        StringAssert.Contains(input.Stderr, "warning CM2050");
        StringAssert.Contains(input.Stdout, "ACME:///db|password", "left as written");
    }
}
