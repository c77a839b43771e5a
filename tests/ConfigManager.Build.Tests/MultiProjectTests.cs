using System.Diagnostics;
using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>Plugin processes are shared by all projects an MSBuild node builds, and stopped at the end of the build.</summary>
[TestClass]
public sealed class MultiProjectTests
{
    [TestMethod]
    public void Solution_built_with_two_nodes_starts_each_prefix_at_most_once_per_node()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Solution_built_with_two_nodes_starts_each_prefix_at_most_once_per_node), "GOTWO");
        var names = Enumerable.Range(1, 4).Select(i => $"App{i}").ToArray();
        foreach (var name in names)
        {
            var project = ConsumerProject.Console(workspace, name, extraProperties: "<ConfigManagerExtraPrefixes>GOTEST;GOTWO</ConfigManagerExtraPrefixes>");
            project.WriteFile("appsettings.json", Scenario.AppSettings.Replace("\"Plain\"", $"\"Second\": \"GOTWO://echo/{name}\",\n  \"Plain\"", StringComparison.Ordinal));
        }

        var solution = Path.Combine(workspace.Root, "All.slnx");
        File.WriteAllText(solution, "<Solution>\n" + string.Concat(names.Select(n => $"  <Project Path=\"{n}/{n}.csproj\" />\n")) + "</Solution>\n");

        var build = Dotnet.Run(workspace.Root, workspace.Environment, TimeSpan.FromMinutes(6), "build", solution, "-m:2", "-nr:false", "-v:m");

        Scenario.AssertSucceeded(build);
        foreach (var name in names)
        {
            var output = Path.Combine(workspace.Root, name, "bin", "Debug", "net10.0", "appsettings.json");
            Scenario.AssertResolved(output, secret);
            StringAssert.Contains(File.ReadAllText(output), $"\"Second\": \"{name}\"");
        }

        var launches = workspace.Launches();
        var perNodeAndPrefix = launches.GroupBy(l => l).ToArray();
        Assert.IsTrue(perNodeAndPrefix.All(g => g.Count() == 1), "A node started the same prefix twice: " + string.Join(", ", launches));
        var nodes = launches.Select(l => l.ParentPid).Distinct().ToArray();
        Assert.IsTrue(nodes.Length is >= 1 and <= 2, "Expected one or two MSBuild nodes, saw " + string.Join(", ", nodes));
        Assert.AreEqual(nodes.Length * 2, launches.Count, "Every node that resolved started exactly the two prefixes: " + string.Join(", ", launches));
        Assert.IsTrue(launches.Count < names.Length * 2, "Four projects with two prefixes each must not mean eight plugin starts.");
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Projects_in_separate_folders_sharing_CONFIGMANAGER_DIR_start_each_prefix_at_most_once_per_node()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Projects_in_separate_folders_sharing_CONFIGMANAGER_DIR_start_each_prefix_at_most_once_per_node), "GOTWO");
        workspace.Environment["CONFIGMANAGER_DIR"] = workspace.Root;

        // Outside the workspace: no .configmanager above any project, so each has its own working directory (search root).
        var tree = workspace.Root + "-projects";
        Directory.CreateDirectory(tree);
        File.Copy(Path.Combine(workspace.Root, "nuget.config"), Path.Combine(tree, "nuget.config"), overwrite: true);
        var names = Enumerable.Range(1, 4).Select(i => $"Folder{i}App").ToArray();
        foreach (var name in names)
        {
            var project = ConsumerProject.ConsoleIn(workspace, Path.Combine(tree, "src" + name), name, "<ConfigManagerExtraPrefixes>GOTEST;GOTWO</ConfigManagerExtraPrefixes>");
            project.WriteFile("appsettings.json", Scenario.AppSettings.Replace("\"Plain\"", $"\"Second\": \"GOTWO://echo/{name}\",\n  \"Plain\"", StringComparison.Ordinal));
        }

        var solution = Path.Combine(tree, "All.slnx");
        File.WriteAllText(solution, "<Solution>\n" + string.Concat(names.Select(n => $"  <Project Path=\"src{n}/{n}/{n}.csproj\" />\n")) + "</Solution>\n");

        var build = Dotnet.Run(tree, workspace.Environment, TimeSpan.FromMinutes(6), "build", solution, "-m:2", "-nr:false", "-v:m");

        Scenario.AssertSucceeded(build);
        foreach (var name in names)
        {
            var output = Path.Combine(tree, "src" + name, name, "bin", "Debug", "net10.0", "appsettings.json");
            Scenario.AssertResolved(output, secret);
            StringAssert.Contains(File.ReadAllText(output), $"\"Second\": \"{name}\"");
        }

        var launches = workspace.Launches();
        Assert.IsTrue(launches.GroupBy(l => l).All(g => g.Count() == 1), "A node started the same plugin binary twice: " + string.Join(", ", launches));
        var nodes = launches.Select(l => l.ParentPid).Distinct().Count();
        Assert.IsTrue(launches.Count <= nodes * 2 && nodes <= 2, $"At most one launch per prefix per node ({nodes} node(s)): " + string.Join(", ", launches));
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Cancelling_the_build_stops_the_plugins()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Cancelling_the_build_stops_the_plugins));
        var project = ConsumerProject.Console(workspace, "SlowApp", extraProperties: "<ConfigManagerCallTimeout>300</ConfigManagerCallTimeout>");
        project.WriteFile("appsettings.json", "{ \"Slow\": \"GOTEST://sleep/120000\" }\n");
        Scenario.AssertSucceeded(Dotnet.Run(project.Directory, workspace.Environment, TimeSpan.FromMinutes(3), "restore", project.ProjectPath));

        var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = project.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", project.ProjectPath, "--no-restore", "-m:1", "-nr:false", "-v:m" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in workspace.Environment)
        {
            startInfo.Environment[name] = value;
        }

        using var build = Process.Start(startInfo)!;
        var output = build.StandardOutput.ReadToEndAsync();
        _ = build.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (PluginProcesses.RunningFor(workspace).Count == 0 && DateTime.UtcNow < deadline && !build.HasExited)
        {
            Thread.Sleep(200);
        }

        Assert.AreEqual(1, PluginProcesses.RunningFor(workspace).Count, "The plugin should be running (sleeping in its call).");
        Thread.Sleep(500);
        using (var interrupt = Process.Start("kill", ["-INT", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            interrupt.WaitForExit();
        }

        Assert.IsTrue(build.WaitForExit(TimeSpan.FromSeconds(60)), "The build did not stop after Ctrl+C.");
        Assert.AreNotEqual(0, build.ExitCode, output.Result);
        Scenario.AssertNoPluginLeft(workspace);
        Assert.IsFalse(File.Exists(Path.Combine(project.BinDirectory, "appsettings.json")));
    }
}
