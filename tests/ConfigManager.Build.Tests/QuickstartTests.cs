using System.Diagnostics;
using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests;

/// <summary>The README's first command keeps working: samples/quickstart.sh packs ConfigManager.MSBuild and ConfigManager.Plugin.Env, builds the sample from that feed.</summary>
[TestClass]
public sealed class QuickstartTests
{
    [TestMethod]
    public void Quickstart_script_builds_the_sample_with_its_env_tokens_resolved()
    {
        var greeting = "quickstart-test-" + Guid.NewGuid().ToString("N");
        var startInfo = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(RepoPaths.Root, "samples", "quickstart.sh") },
        };
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["HELLO_GREETING"] = greeting;
        using var script = Process.Start(startInfo)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        Assert.IsTrue(script.WaitForExit(HangGuard.Limit(TimeSpan.FromMinutes(8))), "quickstart.sh did not finish in " + HangGuard.Limit(TimeSpan.FromMinutes(8)) + ".");
        var output = stdout.Result + stderr.Result;

        Assert.AreEqual(0, script.ExitCode, output);
        var sourceText = File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "HelloConfig", "appsettings.json"));
        StringAssert.Contains(sourceText, "ENV://HELLO_GREETING", "The sample's source must keep its tokens.");
        var resolved = File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "HelloConfig", "bin", "Debug", "net10.0", "appsettings.json"));
        StringAssert.Contains(resolved, $"\"Greeting\": \"{greeting}\"");
        StringAssert.Contains(resolved, "\"Features\": \"on\"");
        StringAssert.Contains(output, greeting + Environment.NewLine + "database password is 28 characters long");
        Assert.IsFalse(Directory.Exists(Path.Combine(RepoPaths.Root, "samples", "HelloConfig", ".configmanager")), "the plugin comes from its package: no binary copied by hand");
        Assert.AreEqual(0, Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples", "HelloConfig", "bin"), "env-*", SearchOption.AllDirectories).Length, "the plugin binary never reaches the app's output");
    }
}
