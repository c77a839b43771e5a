using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests;

/// <summary>Plugins start only when something changed (or resolution is forced); disabled and design-time builds start none.</summary>
[TestClass]
public sealed class IncrementalBuildTests
{
    [TestMethod]
    public void Second_build_with_nothing_changed_starts_no_plugin_until_forced_or_edited()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Second_build_with_nothing_changed_starts_no_plugin_until_forced_or_edited));
        var project = ConsumerProject.Console(workspace, "IncrementalApp");
        var source = project.WriteFile("appsettings.json", Scenario.AppSettings);
        var output = Path.Combine(project.BinDirectory, "appsettings.json");

        Scenario.AssertSucceeded(project.Build());
        Assert.AreEqual(1, workspace.Launches().Count);

        var noOp = project.Build();
        Scenario.AssertSucceeded(noOp);
        Assert.AreEqual(1, workspace.Launches().Count, "A no-op build must not start plugins.");
        Scenario.AssertResolved(output, secret);

        Scenario.AssertSucceeded(project.Build("-p:ConfigManagerForceResolve=true"));
        Assert.AreEqual(2, workspace.Launches().Count, "ConfigManagerForceResolve=true resolves again.");

        File.WriteAllText(source, Scenario.AppSettings.Replace("hello-world", "hello-again", StringComparison.Ordinal));
        Scenario.AssertSucceeded(project.Build());
        Assert.AreEqual(3, workspace.Launches().Count, "An edited source is resolved again.");
        StringAssert.Contains(File.ReadAllText(output), "\"hello-again\"");
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Input_stamp_resolves_again_when_an_ENV_value_changes_or_a_plugin_is_installed_and_never_otherwise()
    {
        var workspace = TestWorkspace.Create(nameof(Input_stamp_resolves_again_when_an_ENV_value_changes_or_a_plugin_is_installed_and_never_otherwise));
        workspace.InstallPlugin("ENV", await CSharpPlugins.EnvPluginAsync());
        // No extra prefix: GOTEST:// is plain text until a GOTEST plugin is installed.
        var project = ConsumerProject.Console(workspace, "StampApp", extraProperties: "<ConfigManagerExtraPrefixes></ConfigManagerExtraPrefixes>");
        project.WriteFile("appsettings.json", """
            { "Name": "ENV://CMTEST_STAMP_VALUE", "Greeting": "GOTEST://echo/installed-later" }

            """);
        var output = Path.Combine(project.BinDirectory, "appsettings.json");
        var stamp = Path.Combine(project.ObjDirectory, "Debug", "net10.0", "configmanager", "inputs.stamp");
        var first = "stamp-one-" + Guid.NewGuid().ToString("N");
        var second = "stamp-two-" + Guid.NewGuid().ToString("N");
        int EnvLaunches() => workspace.Launches().Count(l => l.Prefix == "ENV");

        workspace.Environment["CMTEST_STAMP_VALUE"] = first;
        Scenario.AssertSucceeded(project.Build());
        Assert.AreEqual(1, EnvLaunches());
        StringAssert.Contains(File.ReadAllText(output), first);
        StringAssert.Contains(File.ReadAllText(output), "\"GOTEST://echo/installed-later\"");

        Scenario.AssertSucceeded(project.Build());
        Assert.AreEqual(1, EnvLaunches(), "Nothing changed: no plugin starts.");

        workspace.Environment["CMTEST_STAMP_VALUE"] = second;
        Scenario.AssertSucceeded(project.Build());
        Assert.AreEqual(2, EnvLaunches(), "A changed ENV value resolves again.");
        StringAssert.Contains(File.ReadAllText(output), second);
        Scenario.AssertSucceeded(project.Build());
        Assert.AreEqual(2, EnvLaunches(), "The same value again: no plugin starts.");

        workspace.InstallPlugin("GOTEST", await CSharpPlugins.TestPluginAsync());
        Scenario.AssertSucceeded(project.Build());
        Assert.AreEqual(3, EnvLaunches(), "A plugin installed after the first build resolves again.");
        StringAssert.Contains(File.ReadAllText(output), "\"installed-later\"");
        Scenario.AssertSucceeded(project.Build());
        Assert.AreEqual(3, EnvLaunches());

        var stampText = File.ReadAllText(stamp);
        StringAssert.Contains(stampText, "env CMTEST_STAMP_VALUE ");
        StringAssert.Contains(stampText, "plugin GOTEST ");
        Assert.IsFalse(stampText.Contains(first, StringComparison.Ordinal) || stampText.Contains(second, StringComparison.Ordinal), "The stamp holds hashes, never values.");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stamp + ".salt"));
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Disabled_builds_copy_sources_verbatim_and_start_no_plugin()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Disabled_builds_copy_sources_verbatim_and_start_no_plugin));
        var project = ConsumerProject.Console(workspace, "DisabledApp", extraProperties: "<ConfigManagerEnabled>false</ConfigManagerEnabled>");
        var source = project.WriteFile("appsettings.json", Scenario.AppSettings);

        Scenario.AssertSucceeded(project.Build());

        CollectionAssert.AreEqual(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(project.BinDirectory, "appsettings.json")));
        Assert.AreEqual(0, workspace.Launches().Count);
        Assert.IsFalse(Directory.Exists(Path.Combine(project.ObjDirectory, "Debug", "net10.0", "configmanager")));
    }

    [TestMethod]
    public void Design_time_builds_start_no_plugin()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Design_time_builds_start_no_plugin));
        var project = ConsumerProject.Console(workspace, "DesignTimeApp");
        project.WriteFile("appsettings.json", Scenario.AppSettings);

        // What an IDE asks for: the items to copy, evaluated in a design-time build.
        var result = Dotnet.Run(
            project.Directory,
            workspace.Environment,
            TimeSpan.FromMinutes(3),
            "msbuild", project.ProjectPath, "-restore", "-t:GetCopyToOutputDirectoryItems", "-p:DesignTimeBuild=true", "-m:1", "-nr:false", "-v:m");

        Scenario.AssertSucceeded(result);
        Assert.AreEqual(0, workspace.Launches().Count);
        Assert.IsFalse(File.Exists(Path.Combine(project.ObjDirectory, "Debug", "net10.0", "configmanager", "appsettings.json")));
    }
}
