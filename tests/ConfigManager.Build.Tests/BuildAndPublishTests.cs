using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>dotnet build / publish of real projects that reference the packed ConfigManager.MSBuild.</summary>
[TestClass]
public sealed class BuildAndPublishTests
{
    [TestMethod]
    public void Console_build_resolves_appsettings_into_bin_and_leaves_sources_byte_identical()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Console_build_resolves_appsettings_into_bin_and_leaves_sources_byte_identical));
        var project = ConsumerProject.Console(workspace, "ConsoleApp");
        var source = project.WriteFile("appsettings.json", Scenario.AppSettings);
        var development = project.WriteFile("appsettings.Development.json", Scenario.DevelopmentSettings);
        var sourceBytes = File.ReadAllBytes(source);

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        Scenario.AssertResolved(Path.Combine(project.BinDirectory, "appsettings.json"), secret);
        CollectionAssert.AreEqual(sourceBytes, File.ReadAllBytes(source), "The source appsettings.json was modified.");
        CollectionAssert.AreEqual(File.ReadAllBytes(development), File.ReadAllBytes(Path.Combine(project.BinDirectory, "appsettings.Development.json")), "A file without tokens must be copied byte for byte.");
        Assert.IsTrue(File.Exists(Path.Combine(project.ObjDirectory, "Debug", "net10.0", "configmanager", "appsettings.json")), "The resolved copy belongs under obj/.../configmanager/.");
        Assert.AreEqual(1, workspace.Launches().Count, "One prefix, one plugin launch.");
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Publish_resolves_into_the_publish_folder_and_publish_no_build_reuses_the_resolved_copies()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Publish_resolves_into_the_publish_folder_and_publish_no_build_reuses_the_resolved_copies));
        var project = ConsumerProject.Console(workspace, "PublishedApp");
        project.WriteFile("appsettings.json", Scenario.AppSettings);
        var publishDir = Path.Combine(project.Directory, "out", "publish");
        var noBuildDir = Path.Combine(project.Directory, "out", "nobuild");

        var publish = project.Publish("-o", publishDir);
        Scenario.AssertSucceeded(publish);
        Scenario.AssertResolved(Path.Combine(publishDir, "appsettings.json"), secret);
        var launchesAfterPublish = workspace.Launches().Count;

        var noBuild = project.Publish("--no-build", "-o", noBuildDir);

        Scenario.AssertSucceeded(noBuild);
        Scenario.AssertResolved(Path.Combine(noBuildDir, "appsettings.json"), secret);
        Assert.AreEqual(launchesAfterPublish, workspace.Launches().Count, "publish --no-build must reuse the resolved copies, not start plugins.");
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Publish_profile_settings_reach_the_task()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Publish_profile_settings_reach_the_task));
        // The project switches ConfigManager off; only the profile switches it on, so a plain build copies the text as it is.
        var project = ConsumerProject.Console(workspace, "ProfileApp", extraProperties: "<ConfigManagerEnabled>false</ConfigManagerEnabled>");
        var source = project.WriteFile("appsettings.json", Scenario.AppSettings);
        project.WriteFile("Properties/PublishProfiles/Folder.pubxml", """
            <Project>
              <PropertyGroup>
                <PublishDir>out/profile/</PublishDir>
                <ConfigManagerEnabled>true</ConfigManagerEnabled>
                <ConfigManagerForceResolve>true</ConfigManagerForceResolve>
                <ConfigManagerCallTimeout>30</ConfigManagerCallTimeout>
              </PropertyGroup>
            </Project>
            """);

        var build = project.Build();
        Scenario.AssertSucceeded(build);
        CollectionAssert.AreEqual(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(project.BinDirectory, "appsettings.json")));
        Assert.AreEqual(0, workspace.Launches().Count);

        var publish = project.Publish("-p:PublishProfile=Folder");

        Scenario.AssertSucceeded(publish);
        Scenario.AssertResolved(Path.Combine(project.Directory, "out", "profile", "appsettings.json"), secret);
        Assert.AreEqual(1, workspace.Launches().Count);
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void AspNetCore_app_build_and_publish_resolve_appsettings_content()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(AspNetCore_app_build_and_publish_resolve_appsettings_content));
        var project = ConsumerProject.Web(workspace, "WebApp");
        var source = project.WriteFile("appsettings.json", Scenario.AppSettings);
        project.WriteFile("appsettings.Development.json", Scenario.DevelopmentSettings);
        var publishDir = Path.Combine(project.Directory, "out", "publish");

        var publish = project.Publish("-o", publishDir);

        Scenario.AssertSucceeded(publish);
        Scenario.AssertResolved(Path.Combine(project.BinDirectoryFor("Release"), "appsettings.json"), secret);
        Scenario.AssertResolved(Path.Combine(publishDir, "appsettings.json"), secret);
        Assert.AreEqual(Scenario.AppSettings, File.ReadAllText(source));
        Assert.AreEqual(Scenario.DevelopmentSettings, File.ReadAllText(Path.Combine(publishDir, "appsettings.Development.json")));
        Assert.AreEqual(1, workspace.Launches().Count, "Build and publish in one invocation share one plugin process.");
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Extra_files_are_selected_with_ConfigManagerFile_items_and_escaped_for_their_format()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Extra_files_are_selected_with_ConfigManagerFile_items_and_escaped_for_their_format));
        var project = ConsumerProject.Console(workspace, "ExtraFiles", extraItems: """
            <None Update="settings.xml" CopyToOutputDirectory="PreserveNewest" />
            <ConfigManagerFile Include="settings.xml" />
            """);
        project.WriteFile("settings.xml", """<settings password="GOTEST://env/CMTEST_SECRET" blob="GOTEST://json/x" />""");

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        var xml = System.Xml.Linq.XElement.Load(Path.Combine(project.BinDirectory, "settings.xml"));
        Assert.AreEqual(secret, (string?)xml.Attribute("password"));
        StringAssert.Contains((string?)xml.Attribute("blob"), "\"password\":\"" + Scenario.JsonSecret + "\"", "A JSON value in an XML attribute must be XML-escaped, and read back intact.");
    }
}
