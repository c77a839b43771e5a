using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>Project shapes new users start from: a bare console app, central package management.</summary>
[TestClass]
public sealed class ProjectKindTests
{
    private const string CopyLine = "<None Update=\"appsettings.json\" CopyToOutputDirectory=\"PreserveNewest\" />";

    [TestMethod]
    public void Console_app_whose_tokenised_settings_are_not_copied_gets_CM5004_with_the_line_to_add()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Console_app_whose_tokenised_settings_are_not_copied_gets_CM5004_with_the_line_to_add));
        var project = ConsumerProject.ConsoleWithoutCopy(workspace, "BareConsole");
        var settings = project.WriteFile("appsettings.json", Scenario.AppSettings);
        project.WriteFile("appsettings.Development.json", Scenario.DevelopmentSettings);

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        var warning = BuildDiagnostic.Parse(build.Output).Where(d => d.Code == "CM5004").ToArray();
        Assert.AreEqual(1, warning.Length, "Only the file with tokens is reported:\n" + build);
        Assert.AreEqual("warning", warning[0].Severity);
        Assert.AreEqual(settings, warning[0].File);
        Assert.AreEqual((2, 16), (warning[0].Line, warning[0].Column), "The position of the first token.");
        StringAssert.Contains(warning[0].Message, "\"GOTEST://echo/hello-world\"");
        StringAssert.Contains(warning[0].Message, CopyLine);
        Assert.AreEqual(0, workspace.Launches().Count, "Scanning for the warning starts no plugin.");
        Assert.IsFalse(File.Exists(Path.Combine(project.BinDirectory, "appsettings.json")));
        Assert.IsFalse(build.Output.Contains(secret, StringComparison.Ordinal));

        // The line the warning names is all it takes.
        File.WriteAllText(project.ProjectPath, File.ReadAllText(project.ProjectPath).Replace("</ItemGroup>", CopyLine + "\n  </ItemGroup>", StringComparison.Ordinal));
        var fixedBuild = project.Build();

        Scenario.AssertSucceeded(fixedBuild);
        Assert.IsFalse(BuildDiagnostic.Parse(fixedBuild.Output).Any(d => d.Code == "CM5004"), fixedBuild.ToString());
        Scenario.AssertResolved(Path.Combine(project.BinDirectory, "appsettings.json"), secret);
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Central_package_management_takes_the_package_as_a_GlobalPackageReference()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Central_package_management_takes_the_package_as_a_GlobalPackageReference));
        File.WriteAllText(Path.Combine(workspace.Root, "Directory.Packages.props"), $"""
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <GlobalPackageReference Include="{LocalPackageFeed.PackageId}" Version="{LocalPackageFeed.Version}" />
              </ItemGroup>
            </Project>
            """);
        var project = ConsumerProject.ConsoleWithoutPackageReference(workspace, "CentralApp");
        project.WriteFile("appsettings.json", Scenario.AppSettings);

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        Assert.IsFalse(BuildDiagnostic.Parse(build.Output).Any(), "No warning expected:\n" + build);
        Scenario.AssertResolved(Path.Combine(project.BinDirectory, "appsettings.json"), secret);
        Assert.IsFalse(Directory.EnumerateFiles(project.BinDirectory, "ConfigManager*.dll").Any(), "A global package reference stays private: nothing of it is copied to the app.");
        Assert.IsFalse(File.ReadAllText(Path.Combine(project.BinDirectory, "CentralApp.deps.json")).Contains(LocalPackageFeed.PackageId, StringComparison.Ordinal));
        Scenario.AssertNoPluginLeft(workspace);
    }
}
