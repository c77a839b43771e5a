using System.Runtime.Versioning;
using System.Text.Json;
using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>
/// ConfigManager.Plugin.Env packed from this repository and restored from a real local folder feed: fresh console and web
/// projects build and publish with resolved values and no <c>.configmanager</c> folder, also under central package
/// management; a tampered package cache is refused before launch; a runtime the package lacks is CM2006; a build that
/// selects linux-musl-x64 gets that RID's binary.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class PluginPackageRestoreTests
{
    private const string AppSettings = "{\n  \"Greeting\": \"ENV://CMTEST_PACKAGE_GREETING\",\n  \"Plain\": \"unchanged\"\n}\n";

    private const UnixFileMode WithoutExecuteBit = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static string Greeting(TestWorkspace workspace)
    {
        var greeting = "from-the-package-" + Guid.NewGuid().ToString("N")[..8];
        workspace.Environment["CMTEST_PACKAGE_GREETING"] = greeting;
        return greeting;
    }

    private static void AssertResolved(string path, string greeting)
    {
        Assert.IsTrue(File.Exists(path), path + " was not written.");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.AreEqual(greeting, json.RootElement.GetProperty("Greeting").GetString());
        Assert.AreEqual("unchanged", json.RootElement.GetProperty("Plain").GetString());
    }

    /// <summary>No plugin file, no .configmanager folder and no deps.json entry of the plugin in an app output folder.</summary>
    private static void AssertPluginKeptOutOf(string outputDirectory, TestWorkspace workspace)
    {
        Assert.AreEqual(0, Directory.GetFiles(outputDirectory, "env-*", SearchOption.AllDirectories).Length, "the plugin binary must not reach " + outputDirectory);
        foreach (var deps in Directory.GetFiles(outputDirectory, "*.deps.json"))
        {
            Assert.IsFalse(File.ReadAllText(deps).Contains(PluginPackageFeed.EnvPackageId, StringComparison.OrdinalIgnoreCase), deps + " lists the plugin package");
        }

        Assert.AreEqual(0, Directory.GetDirectories(workspace.Root, ".configmanager", SearchOption.AllDirectories).Length, "no .configmanager folder anywhere");
    }

    private static CommandResult Restore(ConsumerProject project)
        => Dotnet.Run(project.Directory, project.Workspace.Environment, TimeSpan.FromMinutes(4), "restore", project.ProjectPath, "-nr:false");

    [TestMethod]
    public void Console_project_with_the_plugin_package_builds_and_publishes_resolved_values_even_when_the_cache_lost_the_executable_bit()
    {
        var workspace = PluginPackageFeed.Workspace(nameof(Console_project_with_the_plugin_package_builds_and_publishes_resolved_values_even_when_the_cache_lost_the_executable_bit));
        var greeting = Greeting(workspace);
        var project = ConsumerProject.Console(workspace, "PackageConsole", extraItems: PluginPackageFeed.EnvReference());
        project.WriteFile("appsettings.json", AppSettings);
        Scenario.AssertSucceeded(Restore(project));
        // What a NuGet extraction that drops the mode leaves (the known defect): the build must not need, nor add, the bit.
        var cached = PluginPackageFeed.ExtractedEnvBinary(LocalPackageFeed.PackagesDirectory);
        File.SetUnixFileMode(cached, WithoutExecuteBit);

        var build = project.Build("-v:n");
        var publish = project.Publish();

        Scenario.AssertSucceeded(build);
        Scenario.AssertSucceeded(publish);
        StringAssert.Contains(build.Output, $"plugin env: package {PluginPackageFeed.EnvPackageId} {PluginPackageFeed.Version} (");
        AssertResolved(Path.Combine(project.BinDirectory, "appsettings.json"), greeting);
        var publishDirectory = Path.Combine(project.BinDirectoryFor("Release"), "publish");
        AssertResolved(Path.Combine(publishDirectory, "appsettings.json"), greeting);
        AssertPluginKeptOutOf(project.BinDirectory, workspace);
        AssertPluginKeptOutOf(publishDirectory, workspace);
        Assert.AreEqual(WithoutExecuteBit, File.GetUnixFileMode(cached), "the shared package cache is never chmod-ed");
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Web_project_with_the_plugin_package_builds_and_publishes_resolved_values()
    {
        var workspace = PluginPackageFeed.Workspace(nameof(Web_project_with_the_plugin_package_builds_and_publishes_resolved_values));
        var greeting = Greeting(workspace);
        var project = ConsumerProject.Web(workspace, "PackageWeb", extraItems: PluginPackageFeed.EnvReference());
        project.WriteFile("appsettings.json", AppSettings);

        var build = project.Build();
        var publish = project.Publish();

        Scenario.AssertSucceeded(build);
        Scenario.AssertSucceeded(publish);
        AssertResolved(Path.Combine(project.BinDirectory, "appsettings.json"), greeting);
        var publishDirectory = Path.Combine(project.BinDirectoryFor("Release"), "publish");
        AssertResolved(Path.Combine(publishDirectory, "appsettings.json"), greeting);
        AssertPluginKeptOutOf(publishDirectory, workspace);
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Central_package_management_takes_both_packages_as_GlobalPackageReferences()
    {
        var workspace = PluginPackageFeed.Workspace(nameof(Central_package_management_takes_both_packages_as_GlobalPackageReferences));
        var greeting = Greeting(workspace);
        File.WriteAllText(Path.Combine(workspace.Root, "Directory.Packages.props"), $"""
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <GlobalPackageReference Include="{LocalPackageFeed.PackageId}" Version="{LocalPackageFeed.Version}" />
                <GlobalPackageReference Include="{PluginPackageFeed.EnvPackageId}" Version="{PluginPackageFeed.Version}" />
              </ItemGroup>
            </Project>
            """);
        var project = ConsumerProject.ConsoleWithoutPackageReference(workspace, "PackageCentral");
        project.WriteFile("appsettings.json", AppSettings);

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        Assert.IsFalse(BuildDiagnostic.Parse(build.Output).Any(), "No warning expected:\n" + build);
        AssertResolved(Path.Combine(project.BinDirectory, "appsettings.json"), greeting);
        AssertPluginKeptOutOf(project.BinDirectory, workspace);
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Tampered_package_cache_fails_the_build_with_CM2004_before_launch_and_writes_nothing()
    {
        var workspace = PluginPackageFeed.Workspace(nameof(Tampered_package_cache_fails_the_build_with_CM2004_before_launch_and_writes_nothing));
        Greeting(workspace);
        // A cache of this test's own: the run-wide one must stay intact for the other tests.
        var packages = Path.Combine(workspace.Root, "nuget-packages");
        workspace.Environment["NUGET_PACKAGES"] = packages;
        var project = ConsumerProject.Console(workspace, "PackageTampered", extraItems: PluginPackageFeed.EnvReference());
        project.WriteFile("appsettings.json", AppSettings);
        Scenario.AssertSucceeded(Restore(project));
        var cached = PluginPackageFeed.ExtractedEnvBinary(packages);
        File.WriteAllText(cached, "#!/bin/sh\necho tampered >&2\nexit 1\n");

        var build = project.Build();

        Assert.IsFalse(build.Succeeded, build.ToString());
        var error = BuildDiagnostic.Parse(build.Output).First(d => d.Severity == "error");
        Assert.AreEqual("CM2004", error.Code, build.ToString());
        StringAssert.Contains(error.Message, $"{PluginPackageFeed.EnvPackageId} {PluginPackageFeed.Version}");
        StringAssert.Contains(error.Message, "dotnet nuget locals global-packages --clear");
        Assert.IsFalse(build.Output.Contains("tampered", StringComparison.Ordinal), "the tampered file must not have run");
        Assert.IsFalse(File.Exists(Path.Combine(project.BinDirectory, "appsettings.json")));
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Runtime_the_package_lacks_is_CM2006_naming_it_and_the_runtimes_the_package_has()
    {
        var workspace = PluginPackageFeed.Workspace(nameof(Runtime_the_package_lacks_is_CM2006_naming_it_and_the_runtimes_the_package_has));
        Greeting(workspace);
        var project = ConsumerProject.Console(workspace, "PackageNoRid", extraItems: PluginPackageFeed.EnvReference());
        project.WriteFile("appsettings.json", AppSettings);

        // The package's props pick the binary by ConfigManagerPluginRuntimeIdentifier (default: the SDK's RID).
        var build = project.Build("-p:ConfigManagerPluginRuntimeIdentifier=osx-arm64");

        Assert.IsFalse(build.Succeeded, build.ToString());
        var error = BuildDiagnostic.Parse(build.Output).First(d => d.Severity == "error");
        Assert.AreEqual("CM2006", error.Code, build.ToString());
        StringAssert.Contains(error.Message, $"{PluginPackageFeed.EnvPackageId} {PluginPackageFeed.Version}");
        StringAssert.Contains(error.Message, "for runtime osx-arm64 (the build's;");
        StringAssert.Contains(error.Message, "it has: linux-x64, linux-musl-x64.");
        Assert.IsFalse(File.Exists(Path.Combine(project.BinDirectory, "appsettings.json")));
    }

    [TestMethod]
    public void Restore_extracts_every_rid_executable_and_selecting_linux_musl_x64_picks_the_musl_binary_with_its_hash()
    {
        var workspace = PluginPackageFeed.Workspace(nameof(Restore_extracts_every_rid_executable_and_selecting_linux_musl_x64_picks_the_musl_binary_with_its_hash));
        // A cache of this test's own: another test takes the executable bit off the run-wide one.
        var packages = Path.Combine(workspace.Root, "nuget-packages");
        workspace.Environment["NUGET_PACKAGES"] = packages;
        var project = ConsumerProject.Console(workspace, "PackageMusl", extraItems: PluginPackageFeed.EnvReference());
        project.WriteFile("appsettings.json", AppSettings);
        Scenario.AssertSucceeded(Restore(project));

        foreach (var rid in PluginPackageFeed.Rids)
        {
            var extracted = PluginPackageFeed.ExtractedEnvBinary(packages, rid);
            Assert.IsTrue(File.Exists(extracted), extracted);
            Assert.IsTrue(File.GetUnixFileMode(extracted).HasFlag(UnixFileMode.UserExecute), $"{extracted} is {File.GetUnixFileMode(extracted)} after extraction");
        }

        // What the build would launch, read from the evaluated item: the musl binary is not run (it needs musl's loader).
        var evaluation = Dotnet.Run(
            project.Directory, workspace.Environment, TimeSpan.FromMinutes(4),
            "msbuild", project.ProjectPath, "-nr:false", "-getItem:ConfigManagerPlugin", "-p:ConfigManagerPluginRuntimeIdentifier=" + PluginPackageFeed.MuslRid);

        Scenario.AssertSucceeded(evaluation);
        var json = evaluation.Output[evaluation.Output.IndexOf('{', StringComparison.Ordinal)..];
        using var items = JsonDocument.Parse(json);
        var item = items.RootElement.GetProperty("Items").GetProperty("ConfigManagerPlugin").EnumerateArray().Single();
        var musl = PluginPackageFeed.ExtractedEnvBinary(packages, PluginPackageFeed.MuslRid);
        Assert.AreEqual("env", item.GetProperty("Identity").GetString());
        Assert.AreEqual(musl, Path.GetFullPath(item.GetProperty("Path").GetString()!));
        Assert.AreEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(musl))), item.GetProperty("Sha256").GetString());
        Assert.AreEqual("linux-x64;linux-musl-x64", item.GetProperty("AvailableRids").GetString());
    }
}
