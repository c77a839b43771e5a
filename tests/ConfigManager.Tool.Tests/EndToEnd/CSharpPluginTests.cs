using System.Text.Json;
using ConfigManager.Core.Plugins;
using ConfigManager.TestSupport;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

/// <summary>The installed tool against the C# plugins (NativeAOT, built with the plugin SDK): ENV and the CSTEST test plugin.</summary>
[TestClass]
public sealed class CSharpPluginTests
{
    private const string Secret = "c#-'secret' value";

    private string _work = null!;
    private TestSupport.PluginLayout _layout = null!;
    private string _envPlugin = null!;
    private string _testPlugin = null!;

    [TestInitialize]
    public async Task Setup()
    {
        _envPlugin = await CSharpPlugins.EnvPluginAsync();
        _testPlugin = await CSharpPlugins.TestPluginAsync();
        ProcessTable.EnsureMarked();
        _layout = TestSupport.PluginLayout.WithSymlink("ENV", _envPlugin);
        _layout.InstallSymlink("CSTEST", _testPlugin);
        _work = Directory.CreateTempSubdirectory("cm-tool-cs-").FullName;
    }

    [TestCleanup]
    public void Cleanup()
    {
        _layout.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private async Task<ToolResult> RunAsync(ToolRunOptions? options, params string[] args)
    {
        var run = await InstalledTool.RunAsync(_work, options, [.. args, "--plugin-dir", _layout.Root]);
        ProcessTable.AssertNoneRunning(_envPlugin);
        ProcessTable.AssertNoneRunning(_testPlugin);
        Assert.IsFalse(run.Stderr.Contains("'secret'", StringComparison.Ordinal) || run.Stderr.Contains("s3cr3t-json", StringComparison.Ordinal), run.Stderr);
        return run;
    }

    [TestMethod]
    public async Task Env_plugin_values_become_export_lines_and_json_expands()
    {
        var options = new ToolRunOptions
        {
            Environment = { ["CMTEST_SECRET"] = Secret, ["CMTEST_JSON"] = """{"host":"db.local","port":5432}""" },
        };

        var run = await RunAsync(options, "retrieve", "-t", "ENV://CMTEST_SECRET", "-t", "ENV://CMTEST_JSON", "-t", "ENV://CMTEST_JSON|host", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual(
            "export CMTEST_SECRET='c#-'\\''secret'\\'' value'\n"
            + "export HOST='db.local'\nexport PORT=5432\n"
            + "export CMTEST_JSON__HOST='db.local'\n",
            run.Stdout);
    }

    [TestMethod]
    public async Task Env_plugin_missing_variable_exits_1_naming_it()
    {
        var run = await RunAsync(null, "retrieve", "-t", "ENV://CMTEST_DEFINITELY_UNSET", "-p", "stdout");

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CMTEST_DEFINITELY_UNSET");
    }

    [TestMethod]
    public async Task String_input_mixes_csharp_and_env_plugins_in_one_file()
    {
        await File.WriteAllTextAsync(Path.Combine(_work, "appsettings.json"), """{"A":"CSTEST:///json/x|password","B":"ENV://CMTEST_SECRET"}""");
        var options = new ToolRunOptions { Environment = { ["CMTEST_SECRET"] = Secret } };

        var run = await RunAsync(options, "string-input", "-i", "appsettings.json", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.AreEqual("s3cr3t-json", json.RootElement.GetProperty("A").GetString());
        Assert.AreEqual(Secret, json.RootElement.GetProperty("B").GetString());
    }

    [TestMethod]
    public async Task Init_installs_the_env_plugin_from_a_folder_and_retrieve_uses_it_pinned()
    {
        var release = Path.Combine(_work, "release");
        Directory.CreateDirectory(release);
        File.Copy(_envPlugin, Path.Combine(release, GoPlatform.PluginFileName("env")));
        var project = Path.Combine(_work, "project");
        Directory.CreateDirectory(project);
        var options = new ToolRunOptions { Environment = { ["CMTEST_SECRET"] = Secret } };

        var init = await InstalledTool.RunAsync(project, options, "init", "--plugin", "env", "--source", release);
        Assert.AreEqual(0, init.ExitCode, init.ToString());

        // No --plugin-dir: the working directory's .configmanager is used, and its lock file is enforced.
        var run = await InstalledTool.RunAsync(project, options, "retrieve", "-t", "ENV://CMTEST_SECRET", "-p", "stdout");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, "export CMTEST_SECRET=");

        var installed = Path.Combine(project, ".configmanager", "plugins", "env", GoPlatform.PluginFileName("env"));
        await File.AppendAllTextAsync(installed, "tampered");
        var refused = await InstalledTool.RunAsync(project, options, "retrieve", "-t", "ENV://CMTEST_SECRET", "-p", "stdout");
        Assert.AreEqual(5, refused.ExitCode, refused.ToString());
        StringAssert.Contains(refused.Stderr, "CM2004");
    }

    [TestMethod]
    public async Task Retrieve_refuses_to_replace_a_device_node_or_a_link_to_stdout()
    {
        var device = Path.Combine(_work, "null");
        var mknod = Environment.UserName == "root" ? new[] { "mknod", "-m", "666", device, "c", "1", "3" } : ["mkfifo", device];
        Assert.AreEqual(string.Empty, await Command(mknod));
        var before = await Command("stat", "-c", "%F %t:%T %a", device);
        var link = Path.Combine(_work, "stdout");
        File.CreateSymbolicLink(link, "/proc/self/fd/1");
        var options = new ToolRunOptions { Environment = { ["CMTEST_SECRET"] = Secret } };
        foreach (var target in new[] { "./null", "./stdout" })
        {
            var run = await RunAsync(options, "retrieve", "-t", "ENV://CMTEST_SECRET", "-p", target);
            Assert.AreEqual(6, run.ExitCode, run.ToString());
            StringAssert.Contains(run.Stderr, "CM4103");
            StringAssert.Contains(run.Stderr, Path.GetFileName(target));
            Assert.IsFalse(run.Stdout.Contains("secret", StringComparison.Ordinal), run.Stdout);
        }

        Assert.AreEqual(before, await Command("stat", "-c", "%F %t:%T %a", device), "the device node was replaced");
        Assert.AreEqual("/proc/self/fd/1", new FileInfo(link).LinkTarget, "the link was replaced");
        CollectionAssert.AreEquivalent(new[] { "null", "stdout" }, Directory.GetFileSystemEntries(_work).Select(Path.GetFileName).ToArray());
    }

    private static async Task<string> Command(params string[] commandLine)
    {
        var info = new System.Diagnostics.ProcessStartInfo(commandLine[0]) { RedirectStandardOutput = true };
        foreach (var arg in commandLine.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.AreEqual(0, process.ExitCode, string.Join(' ', commandLine));
        return output;
    }
}
