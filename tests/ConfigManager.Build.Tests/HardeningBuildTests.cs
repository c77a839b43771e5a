using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>The task applies Core's rules as the tool does: one duration grammar, one key-separator rule, one document loader, trusted roots.</summary>
[TestClass]
public sealed class HardeningBuildTests
{
    [TestMethod]
    public void Out_of_range_timeouts_and_a_token_ending_key_separator_are_CM5002_not_MSB4018()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(Out_of_range_timeouts_and_a_token_ending_key_separator_are_CM5002_not_MSB4018));
        var project = ConsumerProject.Console(workspace, "RangeApp");
        project.WriteFile("appsettings.json", Scenario.AppSettings);

        var build = project.Build("-p:ConfigManagerHandshakeTimeout=1e300", "-p:ConfigManagerCallTimeout=Infinity", "-p:ConfigManagerKeySeparator=:");

        Assert.IsFalse(build.Succeeded, build.ToString());
        Assert.IsFalse(build.Output.Contains("error MSB4018", StringComparison.Ordinal), build.ToString());
        var errors = BuildDiagnostic.Parse(build.Output).Where(d => d.Severity == "error").ToArray();
        Assert.AreEqual(3, errors.Count(e => e.Code == "CM5002"), build.ToString());
        Assert.IsTrue(errors.Any(e => e.Message.Contains("ConfigManagerHandshakeTimeout '1e300' is longer than the maximum of 24 hours", StringComparison.Ordinal)), build.ToString());
        Assert.IsTrue(errors.Any(e => e.Message.Contains("ConfigManagerKeySeparator ':' ends a token", StringComparison.Ordinal)), build.ToString());
        Assert.AreEqual(0, workspace.Launches().Count);
    }

    [TestMethod]
    public void A_Latin1_appsettings_is_CM4104_and_nothing_is_written()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(A_Latin1_appsettings_is_CM4104_and_nothing_is_written));
        var project = ConsumerProject.Console(workspace, "Latin1App");
        var source = project.WriteFile("appsettings.json", "{}");
        File.WriteAllBytes(source, System.Text.Encoding.Latin1.GetBytes("{\n  \"City\": \"Montr\u00e9al\",\n  \"Greeting\": \"GOTEST://echo/hi\"\n}\n"));

        var build = project.Build();

        Assert.IsFalse(build.Succeeded, build.ToString());
        var error = BuildDiagnostic.Parse(build.Output).Single(d => d.Severity == "error");
        Assert.AreEqual("CM4104", error.Code, build.ToString());
        StringAssert.Contains(error.Message, "(2,17): 0xE9");
        Assert.IsFalse(File.Exists(Path.Combine(project.BinDirectory, "appsettings.json")), "nothing written");
    }

    [TestMethod]
    public void A_plugin_outside_the_trusted_roots_is_CM2041_and_never_started()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(A_plugin_outside_the_trusted_roots_is_CM2041_and_never_started));
        var project = ConsumerProject.Console(workspace, "TrustApp");
        project.WriteFile("appsettings.json", Scenario.AppSettings);
        var elsewhere = Directory.CreateTempSubdirectory("cm-trusted-").FullName;
        try
        {
            var refused = project.Build($"-p:ConfigManagerTrustedPluginRoots={elsewhere}");

            Assert.IsFalse(refused.Succeeded, refused.ToString());
            Assert.IsTrue(BuildDiagnostic.Parse(refused.Output).Any(d => d is { Severity: "error", Code: "CM2041" }), refused.ToString());
            Assert.AreEqual(0, workspace.Launches().Count, "a plugin outside the roots is not started");

            var trusted = project.Build($"-p:ConfigManagerTrustedPluginRoots={elsewhere}%3B{workspace.Root}");

            Scenario.AssertSucceeded(trusted);
            Scenario.AssertResolved(Path.Combine(project.BinDirectory, "appsettings.json"), secret);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [TestMethod]
    public void SIGTERM_to_the_build_is_a_cancellation_CM4053_not_a_plugin_crash()
    {
        var (workspace, _) = Scenario.WithGoPlugin(nameof(SIGTERM_to_the_build_is_a_cancellation_CM4053_not_a_plugin_crash));
        var project = ConsumerProject.Console(workspace, "TermApp");
        project.WriteFile("appsettings.json", "{ \"Slow\": \"GOTEST://sleep/120000\" }\n");

        var build = project.BuildWhile(process =>
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (workspace.Launches().Count == 0 && DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(100);
            }

            Thread.Sleep(TimeSpan.FromSeconds(2)); // the call is in flight
            using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
        });

        // The dotnet CLI ends on SIGTERM as soon as its handlers ran: it exited 0 here, once after the task's CM4053 was
        // printed and once before anything was. What must hold: whatever is reported is the cancellation, never a crash.
        Assert.AreEqual(1, workspace.Launches().Count, build.ToString());
        var errors = BuildDiagnostic.Parse(build.Output).Where(d => d.Severity == "error").Select(d => d.Code).ToArray();
        Assert.IsTrue(errors.All(code => code == "CM4053"), build.ToString());
        Assert.IsFalse(build.Output.Contains("crashed", StringComparison.Ordinal), build.ToString());
        Assert.IsFalse(build.Output.Contains("exit code 137", StringComparison.Ordinal), build.ToString());
        Assert.IsFalse(File.Exists(Path.Combine(project.BinDirectory, "appsettings.json")));
        Scenario.AssertNoPluginLeft(workspace);
    }
}
