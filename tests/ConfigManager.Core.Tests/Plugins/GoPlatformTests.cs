using System.Runtime.InteropServices;
using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.Tests.Plugins;

/// <summary>The one mapping of this machine to plugin names (Go's) and package names (.NET RIDs), and the layout path.</summary>
[TestClass]
public sealed class GoPlatformTests
{
    [TestMethod]
    public void Names_agree_with_each_other_and_with_the_running_runtime()
    {
        var (goArch, dotnetArch) = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => ("amd64", "x64"),
            Architecture.Arm64 => ("arm64", "arm64"),
            var other => throw new AssertInconclusiveException($"no expectation written for {other}"),
        };
        Assert.AreEqual(goArch, GoPlatform.Arch);
        Assert.AreEqual(dotnetArch, GoPlatform.DotnetArch);
        Assert.EndsWith("-" + dotnetArch, GoPlatform.RuntimeIdentifier);
        if (OperatingSystem.IsLinux())
        {
            Assert.AreEqual("linux", GoPlatform.Os);
            Assert.AreEqual(GoPlatform.IsMusl ? "linux-musl-" + dotnetArch : "linux-" + dotnetArch, GoPlatform.RuntimeIdentifier);
            Assert.AreEqual($"env-linux-{goArch}", GoPlatform.PluginFileName("ENV"));
        }

        // Microsoft's portable SDK names the same RID (a distro-built runtime may name its distro instead).
        if (RuntimeInformation.RuntimeIdentifier.StartsWith(OperatingSystem.IsLinux() ? "linux-" : OperatingSystem.IsMacOS() ? "osx-" : "win-", StringComparison.Ordinal))
        {
            Assert.AreEqual(RuntimeInformation.RuntimeIdentifier, GoPlatform.RuntimeIdentifier);
        }
    }

    [TestMethod]
    public void Layout_path_is_lower_case_prefix_folder_and_platform_file_under_the_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "root");
        Assert.AreEqual(Path.Combine(root, ".configmanager", "plugins"), PluginLocator.PluginsFolder(root));
        Assert.AreEqual(
            Path.Combine(root, ".configmanager", "plugins", "awssecrets", GoPlatform.PluginFileName("awssecrets")),
            PluginLocator.LayoutPath(root, "AWSSECRETS"));
        var locator = new PluginLocator(pluginDirectory: root, workingDirectory: root, homeDirectory: root);
        CollectionAssert.AreEqual(new[] { PluginLocator.LayoutPath(root, "ENV") }, locator.CandidatePaths("ENV").ToArray());
    }
}
