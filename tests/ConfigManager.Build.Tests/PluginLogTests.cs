using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>Plugin stderr reaches the log of the project whose build asked for the values, at the level each line carries.</summary>
[TestClass]
public sealed class PluginLogTests
{
    [TestMethod]
    public void Plugin_stderr_lines_reach_the_build_log_and_binlog_at_their_level()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Plugin_stderr_lines_reach_the_build_log_and_binlog_at_their_level));
        var project = ConsumerProject.Console(workspace, "LoggingApp");
        // The slow value keeps the run open for seconds after the logging call answered, so its stderr has long been read.
        project.WriteFile("appsettings.json", "{ \"Logged\": \"GOTEST://log/x\", \"Slow\": \"GOTEST://sleep/3000\", \"Password\": \"GOTEST://env/CMTEST_SECRET\" }\n");
        var binlog = Path.Combine(workspace.Root, "build.binlog");

        var build = project.Build("-bl:" + binlog);

        Scenario.AssertSucceeded(build);
        var console = build.Output.Split('\n');
        Assert.IsTrue(console.Any(l => l.Contains("configmanager [warn] plugin", StringComparison.Ordinal) && l.Contains("plugin warn line", StringComparison.Ordinal)), "A plugin warning shows at minimal verbosity:\n" + build);
        Assert.IsTrue(console.Any(l => l.Contains("configmanager [error] plugin", StringComparison.Ordinal) && l.Contains("plugin error line", StringComparison.Ordinal)), "A plugin error line shows at minimal verbosity:\n" + build);
        Assert.IsFalse(build.Output.Contains("plugin info line", StringComparison.Ordinal), "An info line is a normal-importance message, not shown at -v:m.");
        Assert.IsFalse(BuildDiagnostic.Parse(build.Output).Any(), "Plugin log lines are messages, never MSBuild warnings or errors:\n" + build);

        var replayed = Path.Combine(workspace.Root, "build.diag.log");
        Scenario.AssertSucceeded(Dotnet.Run(workspace.Root, workspace.Environment, TimeSpan.FromMinutes(3), "msbuild", binlog, "-noconlog", "-flp:logfile=" + replayed + ";verbosity=normal"));
        var diag = File.ReadAllText(replayed);
        StringAssert.Contains(diag, "configmanager [info] plugin");
        StringAssert.Contains(diag, "plugin info line");
        StringAssert.Contains(diag, "plugin warn line");
        Assert.IsFalse(diag.Contains(secret, StringComparison.Ordinal) || build.Output.Contains(secret, StringComparison.Ordinal), "The secret must not reach any log.");
        Scenario.AssertNoPluginLeft(workspace);
    }
}
