using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Plugins;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>Plugins declared by a NuGet package: used ahead of the search, checked against the hash recorded at pack time.</summary>
[TestClass]
public sealed class PackagedPluginTests
{
    private const string PackageId = "ConfigManager.Plugin.GoTest";

    /// <summary>A copy of the Go plugin where restore would extract it: a package-cache-like folder outside the layout.</summary>
    private static string CopyIntoPackageCache(PluginLayout layout, string binary)
    {
        var native = Path.Combine(layout.Root, "nuget-packages", PackageId.ToLowerInvariant(), "1.2.3", "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(native);
        var copy = Path.Combine(native, GoPlatform.PluginFileName("gotest"));
        File.Copy(binary, copy);
        File.SetUnixFileMode(copy, File.GetUnixFileMode(binary) | UnixFileMode.UserExecute);
        return copy;
    }

    private static PackagedPlugin Declared(string? path, string sha256)
        => new("gotest", path, sha256, PackageId, "1.2.3", ["linux-x64", "osx-arm64"]);

    [TestMethod]
    public async Task Packaged_plugin_runs_ahead_of_the_layout_and_needs_no_lock_entry()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var layout = PluginLayout.Empty();
        // The search would find this non-executable file (CM2002) and the lock file does not pin GOTEST (CM2005).
        layout.InstallNotExecutable("GOTEST");
        var lockPath = Path.Combine(layout.Root, "lock.json");
        File.WriteAllText(lockPath, "{\"plugins\":{\"other\":{\"sha256\":\"" + new string('b', 64) + "\"}}}");
        var copy = CopyIntoPackageCache(layout, binary);
        var declared = Declared(copy, PluginLockFile.ComputeSha256(copy));

        await using var run = HostRun.Create(TestPluginKind.Go, layout, copy, mtls: true, o => o with { LockFilePath = lockPath, PackagedPlugins = [declared] });

        Assert.AreEqual("ok", await run.ValueAsync("echo/ok"));
        Assert.AreEqual(1, run.Host.LaunchCount);
        var location = run.Host.Locator.Find("GOTEST");
        Assert.AreEqual("package ConfigManager.Plugin.GoTest 1.2.3", location.Origin);
        Assert.AreEqual(copy, location.Path);
        CollectionAssert.Contains(run.Host.Locator.InstalledPrefixes().ToList(), "GOTEST");
    }

    [TestMethod]
    public async Task Packaged_plugin_extracted_without_its_executable_bit_runs_from_a_private_copy_and_the_cache_is_left_as_it_was()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var layout = PluginLayout.Empty();
        var copy = CopyIntoPackageCache(layout, binary);
        // What NuGet's extraction leaves: rw-r--r--, no executable bit.
        const UnixFileMode extracted = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(copy, extracted);

        await using var run = HostRun.Create(TestPluginKind.Go, layout, copy, mtls: true, o => o with { PackagedPlugins = [Declared(copy, PluginLockFile.ComputeSha256(copy))] });

        Assert.AreEqual("ok", await run.ValueAsync("echo/ok"));
        var running = new FileInfo("/proc/" + run.Host.PluginProcessIds.Single() + "/exe").LinkTarget;
        Assert.IsNotNull(running);
        Assert.AreNotEqual(copy, running, "the shared package cache file itself must not run");
        StringAssert.StartsWith(Path.GetFileName(Path.GetDirectoryName(running)!), "cmplugin-");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(running));
        Assert.AreEqual(extracted, File.GetUnixFileMode(copy), "the package cache is never chmod-ed");
    }

    [TestMethod]
    public async Task Tampered_package_cache_is_CM2004_before_launch_with_both_hashes_and_the_package()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var layout = PluginLayout.Empty();
        var copy = CopyIntoPackageCache(layout, binary);
        var recorded = PluginLockFile.ComputeSha256(copy);
        await File.AppendAllTextAsync(copy, "tampered");

        await using var run = HostRun.Create(TestPluginKind.Go, layout, copy, mtls: false, o => o with { PackagedPlugins = [Declared(copy, recorded)] });

        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/ok"));
        Assert.AreEqual("CM2004", ex.Code);
        StringAssert.Contains(ex.Message, recorded);
        StringAssert.Contains(ex.Message, PluginLockFile.ComputeSha256(copy));
        StringAssert.Contains(ex.Message, PackageId + " 1.2.3");
        Assert.AreEqual(copy, ex.PluginPath);
        Assert.AreEqual(0, run.Host.LaunchCount, "refused before launch");
    }

    [TestMethod]
    [DataRow("win-arm64", "win-arm64", DisplayName = "the RID the package's props recorded for the build")]
    [DataRow(null, null, DisplayName = "none recorded (an older package): this process's runtime")]
    public async Task Package_without_a_binary_for_this_runtime_is_CM2006_naming_the_rid_asked_for_and_the_rids_it_has(string? recorded, string? named)
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var layout = PluginLayout.WithSymlink("GOTEST", binary);

        await using var run = HostRun.Create(TestPluginKind.Go, layout, binary, mtls: false, o => o with { PackagedPlugins = [Declared("", new string('a', 64)) with { RuntimeIdentifier = recorded }] });

        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/ok"));
        Assert.AreEqual("CM2006", ex.Code);
        StringAssert.Contains(ex.Message, PackageId + " 1.2.3");
        StringAssert.Contains(ex.Message, $"for runtime {named ?? System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier} (the build's;");
        StringAssert.Contains(ex.Message, "it has: linux-x64, osx-arm64.");
        Assert.AreEqual(0, run.Host.LaunchCount);
    }
}
