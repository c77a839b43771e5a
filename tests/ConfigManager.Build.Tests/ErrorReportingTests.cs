using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>Failures are MSBuild errors with a stable code, file, line and column; nothing partial reaches bin/.</summary>
[TestClass]
public sealed class ErrorReportingTests
{
    [TestMethod]
    public void Malformed_token_fails_with_a_grammar_code_at_its_file_line_and_column()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Malformed_token_fails_with_a_grammar_code_at_its_file_line_and_column));
        var project = ConsumerProject.Console(workspace, "MalformedApp");
        var source = project.WriteFile("appsettings.json", "{\n  \"Ok\": \"GOTEST://echo/fine\",\n  \"Bad\": \"GOTEST://echo/x[]\"\n}\n");

        var build = project.Build();

        Assert.IsFalse(build.Succeeded, build.ToString());
        var error = BuildDiagnostic.Parse(build.Output).Single(d => d.Severity == "error");
        StringAssert.StartsWith(error.Code, "CM1", build.ToString());
        Assert.AreEqual(source, error.File);
        Assert.AreEqual(3, error.Line);
        Assert.AreEqual("  \"Bad\": \"".Length + 1, error.Column);
        AssertNothingWritten(project);
        Assert.AreEqual(0, workspace.Launches().Count, "A grammar error is found before any plugin starts.");
    }

    [TestMethod]
    public void Failed_resolve_removes_the_previous_resolved_copies_from_bin_and_the_publish_folder()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Failed_resolve_removes_the_previous_resolved_copies_from_bin_and_the_publish_folder));
        var project = ConsumerProject.Console(workspace, "StaleApp");
        var source = project.WriteFile("appsettings.json", Scenario.AppSettings);
        var publishDir = Path.Combine(project.Directory, "out");
        var debugCopy = Path.Combine(project.BinDirectory, "appsettings.json");
        var releaseCopy = Path.Combine(project.BinDirectoryFor("Release"), "appsettings.json");
        var publishedCopy = Path.Combine(publishDir, "appsettings.json");
        Scenario.AssertSucceeded(project.Build());
        Scenario.AssertSucceeded(project.Publish("-o", publishDir));
        foreach (var copy in new[] { debugCopy, releaseCopy, publishedCopy })
        {
            Scenario.AssertResolved(copy, secret);
        }

        File.WriteAllText(source, Scenario.AppSettings.Replace("GOTEST://echo/hello-world", "GOTEST://error/store-said-no", StringComparison.Ordinal));

        var publish = project.Publish("-o", publishDir);
        Assert.IsFalse(publish.Succeeded, publish.ToString());
        Assert.IsFalse(File.Exists(publishedCopy), "The publish folder must not keep the last good values after a failed resolve.");
        Assert.IsFalse(File.Exists(releaseCopy), "bin/Release must not keep the last good values after a failed resolve.");
        var build = project.Build();
        Assert.IsFalse(build.Succeeded, build.ToString());
        Assert.IsFalse(File.Exists(debugCopy), "bin/Debug must not keep the last good values after a failed resolve.");
        Assert.IsFalse(File.Exists(Path.Combine(project.ObjDirectory, "Debug", "net10.0", "configmanager", "appsettings.json")));
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Failing_values_are_each_reported_with_code_position_and_token_name()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Failing_values_are_each_reported_with_code_position_and_token_name));
        var project = ConsumerProject.Console(workspace, "UnresolvedApp");
        var source = project.WriteFile("appsettings.json", "{\n  \"A\": \"GOTEST://error/store-said-no\",\n  \"B\": \"GOTEST://json/db|no.such.key\"\n}\n");

        var build = project.Build();

        Assert.IsFalse(build.Succeeded, build.ToString());
        var errors = BuildDiagnostic.Parse(build.Output).Where(d => d.Severity == "error").ToArray();
        var failedCall = errors.Single(e => e.Message.Contains("GOTEST://error/store-said-no", StringComparison.Ordinal));
        var missingKey = errors.Single(e => e.Message.Contains("GOTEST://json/db|no.such.key", StringComparison.Ordinal));
        foreach (var (error, line) in new[] { (failedCall, 2), (missingKey, 3) })
        {
            StringAssert.Matches(error.Code, new System.Text.RegularExpressions.Regex("^CM[23]0[0-9]{2}$"), build.ToString());
            Assert.AreEqual(source, error.File);
            Assert.AreEqual(line, error.Line);
            Assert.AreEqual("  \"A\": \"".Length + 1, error.Column);
        }

        AssertNothingWritten(project);
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Missing_plugin_fails_with_the_paths_that_were_searched()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Missing_plugin_fails_with_the_paths_that_were_searched));
        var project = ConsumerProject.Console(workspace, "NoPluginApp", extraProperties: "<ConfigManagerExtraPrefixes>GOTEST;NOPLUGIN</ConfigManagerExtraPrefixes>");
        var source = project.WriteFile("appsettings.json", "{\n  \"A\": \"NOPLUGIN://some/path\"\n}\n");

        var build = project.Build();

        Assert.IsFalse(build.Succeeded, build.ToString());
        var error = BuildDiagnostic.Parse(build.Output).First(d => d.Severity == "error");
        StringAssert.StartsWith(error.Code, "CM2", build.ToString());
        StringAssert.Contains(error.Message, Path.Combine(".configmanager", "plugins", "noplugin"), build.ToString());
        Assert.AreEqual(source, error.File, build.ToString());
        AssertNothingWritten(project);
    }

    [TestMethod]
    public void Lax_mode_keeps_unresolved_tokens_and_warns()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Lax_mode_keeps_unresolved_tokens_and_warns));
        var project = ConsumerProject.Console(workspace, "LaxApp", extraProperties: "<ConfigManagerLax>true</ConfigManagerLax>");
        project.WriteFile("appsettings.json", "{\n  \"A\": \"GOTEST://error/nope\",\n  \"B\": \"GOTEST://echo/yes\"\n}\n");

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        var warning = BuildDiagnostic.Parse(build.Output).First(d => d.Severity == "warning");
        Assert.AreEqual(2, warning.Line, build.ToString());
        var output = File.ReadAllText(Path.Combine(project.BinDirectory, "appsettings.json"));
        StringAssert.Contains(output, "\"GOTEST://error/nope\"");
        StringAssert.Contains(output, "\"yes\"");
        Scenario.AssertNoPluginLeft(workspace);
    }

    [TestMethod]
    public void Invalid_settings_fail_with_a_configuration_code()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Invalid_settings_fail_with_a_configuration_code));
        var project = ConsumerProject.Console(workspace, "BadSettingsApp", extraProperties: "<ConfigManagerKeySeparator>||</ConfigManagerKeySeparator><ConfigManagerCallTimeout>soon</ConfigManagerCallTimeout>");
        project.WriteFile("appsettings.json", Scenario.AppSettings);

        var build = project.Build();

        Assert.IsFalse(build.Succeeded, build.ToString());
        var codes = BuildDiagnostic.Parse(build.Output).Where(d => d.Severity == "error").Select(d => d.Code).ToArray();
        Assert.AreEqual(2, codes.Count(c => c == "CM5002"), build.ToString());
        Assert.AreEqual(0, workspace.Launches().Count);
    }

    private static void AssertNothingWritten(ConsumerProject project)
    {
        Assert.IsFalse(File.Exists(Path.Combine(project.BinDirectory, "appsettings.json")), "No output may be written when resolution fails.");
        var resolvedDir = Path.Combine(project.ObjDirectory, "Debug", "net10.0", "configmanager");
        var leftovers = Directory.Exists(resolvedDir)
            ? Directory.GetFiles(resolvedDir, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) is not ("inputs.stamp" or "inputs.stamp.salt")).ToArray()
            : [];
        Assert.AreEqual(0, leftovers.Length, "No resolved copy or temp file may remain: " + string.Join(", ", leftovers));
    }
}
