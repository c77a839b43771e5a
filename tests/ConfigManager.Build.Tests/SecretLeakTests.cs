using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>Values reach the resolved copies and nothing else: not the console, not the binlog, not obj/.</summary>
[TestClass]
public sealed class SecretLeakTests
{
    [TestMethod]
    public void Secrets_appear_only_in_the_resolved_copies_never_in_console_binlog_or_obj()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Secrets_appear_only_in_the_resolved_copies_never_in_console_binlog_or_obj));
        var project = ConsumerProject.Console(workspace, "LeakApp");
        project.WriteFile("appsettings.json", Scenario.AppSettings);
        var logs = Path.Combine(workspace.Root, "logs");
        Directory.CreateDirectory(logs);
        var publishDir = Path.Combine(project.Directory, "out", "publish");

        var build = project.Build("-bl:" + Path.Combine(logs, "build.binlog"), "-v:d");
        Scenario.AssertSucceeded(build);
        var publish = project.Publish("-o", publishDir, "-p:ConfigManagerForceResolve=true", "-bl:" + Path.Combine(logs, "publish.binlog"), "-v:d");
        Scenario.AssertSucceeded(publish);

        // Positive control: the values did arrive where they belong, so the searches below can mean something.
        Scenario.AssertResolved(Path.Combine(project.BinDirectory, "appsettings.json"), secret);
        Scenario.AssertResolved(Path.Combine(publishDir, "appsettings.json"), secret);

        var searched = new List<(string Where, string Text)>
        {
            ("build console", build.Output),
            ("publish console", publish.Output),
        };
        foreach (var binlog in new[] { "build", "publish" })
        {
            var text = Path.Combine(logs, binlog + ".diag.log");
            var replay = Dotnet.Run(logs, workspace.Environment, TimeSpan.FromMinutes(3), "msbuild", Path.Combine(logs, binlog + ".binlog"), "-noconlog", "-flp:logfile=" + text + ";verbosity=diagnostic");
            Scenario.AssertSucceeded(replay);
            var diag = File.ReadAllText(text);
            StringAssert.Contains(diag, "ResolveConfigTokens", "The replayed binlog must show the task ran, or this search proves nothing.");
            searched.Add((binlog + ".binlog replayed at diagnostic verbosity", diag));
        }

        // The resolved copies (obj/Debug|Release/net10.0/configmanager/*.json) are the one place values belong.
        var resolvedCopies = Path.DirectorySeparatorChar + "configmanager" + Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(project.ObjDirectory, "*", SearchOption.AllDirectories)
                     .Where(f => !(f.Contains(resolvedCopies, StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal))))
        {
            searched.Add(("obj file " + file, File.ReadAllText(file)));
        }

        foreach (var value in new[] { secret, Scenario.JsonSecret })
        {
            foreach (var (where, text) in searched)
            {
                Assert.IsFalse(text.Contains(value, StringComparison.Ordinal), $"A secret value leaked into the {where}.");
            }
        }

        Assert.IsTrue(searched.Count > 10, "Expected the console, two binlogs and obj/ files to be searched.");
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Resolved_copies_are_owner_only_in_obj_bin_and_publish()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Resolved_copies_are_owner_only_in_obj_bin_and_publish));
        var project = ConsumerProject.Console(workspace, "ModeApp");
        project.WriteFile("appsettings.json", Scenario.AppSettings);
        var publishDir = Path.Combine(project.Directory, "out");

        Scenario.AssertSucceeded(project.Build());
        Scenario.AssertSucceeded(project.Publish("-o", publishDir));

        foreach (var copy in new[]
                 {
                     Path.Combine(project.ObjDirectory, "Debug", "net10.0", "configmanager", "appsettings.json"),
                     Path.Combine(project.BinDirectory, "appsettings.json"),
                     Path.Combine(project.ObjDirectory, "Release", "net10.0", "configmanager", "appsettings.json"),
                     Path.Combine(publishDir, "appsettings.json"),
                 })
        {
            Scenario.AssertResolved(copy, secret);
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(copy), copy + " must be readable by its owner only.");
        }

        Assert.IsFalse(Directory.EnumerateFiles(project.ObjDirectory, "*.tmp", SearchOption.AllDirectories).Any(), "No temp file is left behind.");
        Scenario.AssertNoPluginLeft(workspace);
    }
}
