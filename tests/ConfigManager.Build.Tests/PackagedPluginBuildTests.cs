using System.Security.Cryptography;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests;

/// <summary>
/// The task side of plugin packages: a <c>ConfigManagerPlugin</c> item, as a plugin package's build props declares it,
/// makes a real <c>dotnet build</c> use that binary with no <c>.configmanager</c> folder and refuses a tampered one.
/// (The item is written into the project here; PluginPackageRestoreTests packs the real package and restores it from a feed.)
/// </summary>
[TestClass]
public sealed class PackagedPluginBuildTests
{
    private static (TestWorkspace Workspace, string Binary) WorkspaceWithPackageCacheCopy(string name)
    {
        var go = GoBuild.Require();
        var workspace = TestWorkspace.Create(name);
        var native = Path.Combine(workspace.Root, "packages", "configmanager.plugin.gotest", "1.0.0", "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(native);
        var binary = Path.Combine(native, "gotest-linux-amd64");
        File.Copy(go.TestPlugin, binary);
        return (workspace, binary);
    }

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string PluginItem(string binary, string sha256)
        => $"""<ConfigManagerPlugin Include="gotest" Path="{binary}" Sha256="{sha256}" PackageId="ConfigManager.Plugin.GoTest" PackageVersion="1.0.0" AvailableRids="linux-x64" />""";

    [TestMethod]
    public void Declared_package_plugin_resolves_with_no_configmanager_folder_and_logs_its_package()
    {
        var (workspace, binary) = WorkspaceWithPackageCacheCopy(nameof(Declared_package_plugin_resolves_with_no_configmanager_folder_and_logs_its_package));
        var project = ConsumerProject.Console(workspace, "PackagedApp", extraItems: PluginItem(binary, Sha256Of(binary)));
        project.WriteFile("appsettings.json", "{\n  \"Greeting\": \"GOTEST://echo/from-the-package\"\n}\n");

        var build = project.Build("-v:n");

        Scenario.AssertSucceeded(build);
        StringAssert.Contains(File.ReadAllText(Path.Combine(project.BinDirectory, "appsettings.json")), "\"from-the-package\"");
        StringAssert.Contains(build.Output, "plugin gotest: package ConfigManager.Plugin.GoTest 1.0.0 (" + binary + ")");
        Assert.AreEqual(0, Directory.GetDirectories(workspace.Root, ".configmanager", SearchOption.AllDirectories).Length);
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Tampered_package_plugin_fails_the_build_with_CM2004_and_writes_nothing()
    {
        var (workspace, binary) = WorkspaceWithPackageCacheCopy(nameof(Tampered_package_plugin_fails_the_build_with_CM2004_and_writes_nothing));
        var recorded = Sha256Of(binary);
        File.AppendAllText(binary, "tampered");
        var project = ConsumerProject.Console(workspace, "TamperedApp", extraItems: PluginItem(binary, recorded));
        project.WriteFile("appsettings.json", "{\n  \"Greeting\": \"GOTEST://echo/never\"\n}\n");

        var build = project.Build();

        Assert.IsFalse(build.Succeeded, build.ToString());
        var error = BuildDiagnostic.Parse(build.Output).First(d => d.Severity == "error");
        Assert.AreEqual("CM2004", error.Code, build.ToString());
        StringAssert.Contains(error.Message, recorded);
        StringAssert.Contains(error.Message, "ConfigManager.Plugin.GoTest 1.0.0");
        Assert.IsFalse(File.Exists(Path.Combine(project.BinDirectory, "appsettings.json")));
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Folder_installed_plugin_logs_the_path_it_was_found_at_with_v_n()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Folder_installed_plugin_logs_the_path_it_was_found_at_with_v_n));
        var project = ConsumerProject.Console(workspace, "FolderPluginApp");
        project.WriteFile("appsettings.json", "{\n  \"Greeting\": \"GOTEST://echo/from-the-folder\"\n}\n");

        var build = project.Build("-v:n");

        Scenario.AssertSucceeded(build);
        StringAssert.Contains(build.Output, "plugin gotest: " + Path.Combine(workspace.Root, ".configmanager", "plugins", "gotest", "gotest-linux-amd64") + ".");
        Scenario.AssertNoPluginLeft(workspace);
    }
}
