using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>dotnet clean removes every resolved copy the project wrote, whichever configuration or publish folder it went to.</summary>
[TestClass]
public sealed class CleanTests
{
    [TestMethod]
    public void Clean_removes_resolved_copies_of_every_configuration_and_publish_folder()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Clean_removes_resolved_copies_of_every_configuration_and_publish_folder));
        var project = ConsumerProject.Console(workspace, "CleanApp");
        var source = project.WriteFile("appsettings.json", Scenario.AppSettings);
        var publishDir = Path.Combine(project.Directory, "out", "publish");

        Scenario.AssertSucceeded(project.Build());
        Scenario.AssertSucceeded(project.Build("-c", "Release"));
        Scenario.AssertSucceeded(project.Publish("-o", publishDir));
        var copies = new[]
        {
            Path.Combine(project.BinDirectoryFor("Debug"), "appsettings.json"),
            Path.Combine(project.BinDirectoryFor("Release"), "appsettings.json"),
            Path.Combine(publishDir, "appsettings.json"),
            Path.Combine(project.ObjDirectory, "Debug", "net10.0", "configmanager", "appsettings.json"),
            Path.Combine(project.ObjDirectory, "Release", "net10.0", "configmanager", "appsettings.json"),
        };
        foreach (var copy in copies)
        {
            Assert.IsTrue(File.Exists(copy) && File.ReadAllText(copy).Contains(secret, StringComparison.Ordinal), copy + " should hold the resolved value before clean.");
        }

        // Only the default (Debug) configuration is cleaned, yet every copy goes.
        var clean = Dotnet.Run(project.Directory, workspace.Environment, TimeSpan.FromMinutes(3), "clean", project.ProjectPath, "-m:1", "-nr:false", "-v:m");

        Scenario.AssertSucceeded(clean);
        var left = copies.Where(File.Exists).ToArray();
        Assert.AreEqual(0, left.Length, "Resolved copies left after dotnet clean: " + string.Join(", ", left));
        Assert.IsTrue(File.Exists(source), "The source is never removed.");
        var anyLeft = Directory.EnumerateFiles(project.Directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".dll", StringComparison.Ordinal) && !f.EndsWith(".pdb", StringComparison.Ordinal))
            .Where(f => new FileInfo(f).Length < 1_000_000 && File.ReadAllText(f).Contains(secret, StringComparison.Ordinal))
            .ToArray();
        Assert.AreEqual(0, anyLeft.Length, "Files still holding the secret: " + string.Join(", ", anyLeft));
        Scenario.AssertNoPluginLeft(workspace);
    }
}
