using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

[TestClass]
public sealed class UsageTests
{
    private static string Dir => Path.GetTempPath();

    [TestMethod]
    [DataRow("retrieve")]
    [DataRow("string-input")]
    [DataRow("init")]
    [DataRow("scan")]
    public async Task Missing_required_option_exits_2_with_CM5050(string command)
    {
        var run = await InstalledTool.RunAsync(Dir, null, command);

        Assert.AreEqual(2, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM5050");
        StringAssert.Contains(run.Stderr, "is required");
        Assert.AreEqual(string.Empty, run.Stdout);
    }

    [TestMethod]
    [DataRow("bogus")]
    [DataRow("retrieve", "-t", "X:///a", "--no-such-flag")]
    [DataRow("retrieve", "-t", "X:///a", "-k", "ab")]
    [DataRow("retrieve", "-t", "X:///a", "-k", "[")]
    [DataRow("retrieve", "-t", "X:///a", "-s", "")]
    [DataRow("scan", "-i", "x", "-s", "a b")]
    [DataRow("scan", "-i", "x", "--prefix", "9LIVES")]
    [DataRow("retrieve", "-t", "X:///a", "--timeout", "soon")]
    [DataRow("retrieve", "-t", "X:///a", "--timeout", "1e300")]
    [DataRow("retrieve", "-t", "X:///a", "--timeout", "Infinity")]
    [DataRow("retrieve", "-t", "X:///a", "--timeout", "5000000")]
    [DataRow("retrieve", "-t", "X:///a", "--plugin-dir", "")]
    [DataRow("retrieve", "-t", "X:///a", "-k", ":")]
    [DataRow("retrieve", "-t", "X:///a", "-k", "\"")]
    [DataRow("string-input", "-i", "x", "--format", "toml")]
    [DataRow("scan", "-i", "x", "--format", "xml")]
    public async Task Invalid_command_lines_exit_2_with_a_coded_message(params string[] args)
    {
        var run = await InstalledTool.RunAsync(Dir, null, args);

        Assert.AreEqual(2, run.ExitCode, run.ToString());
        StringAssert.StartsWith(run.Stderr, "configmanager: error CM5050: ");
        Assert.IsFalse(run.Stderr.Contains("Exception", StringComparison.Ordinal), "no stack trace: " + run.Stderr);
        if (args.Contains("--timeout") && args[^1] != "soon")
        {
            StringAssert.Contains(run.Stderr, "at most 24h", "the documented maximum is named");
        }
    }

    [TestMethod]
    public async Task No_command_is_a_usage_error()
    {
        var run = await InstalledTool.RunAsync(Dir, null);

        Assert.AreEqual(2, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CM5050");
    }

    [TestMethod]
    public async Task Help_lists_commands_aliases_global_flags_and_exit_codes()
    {
        var run = await InstalledTool.RunAsync(Dir, null, "--help");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        foreach (var expected in new[]
                 {
                     "fetch, get, r, retrieve", "fromstr, getfromstr, string-input", "init", "version", "scan", "plugins",
                     "-s, --token-separator", "-k, --key-separator", "-e, --enable-envsubst", "-v, --verbose",
                     "--lax", "--plugin-dir", "--no-mtls", "--timeout",
                     "Exit codes: 0 ok; 1 resolution failure", "2 usage error; 3 plugin not found; 4 plugin failed",
                 })
        {
            StringAssert.Contains(run.Stdout, expected);
        }
    }

    [TestMethod]
    public async Task Retrieve_help_shows_default_path_and_repeatable_token()
    {
        var run = await InstalledTool.RunAsync(Dir, null, "get", "--help");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, "-t, --token <TOKEN>");
        StringAssert.Contains(run.Stdout, "[default: ./app.env]");
    }

    [TestMethod]
    public async Task Version_prints_the_package_version()
    {
        var run = await InstalledTool.RunAsync(Dir, null, "version");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.StartsWith(run.Stdout, $"configmanager {InstalledTool.Version}");
        StringAssert.Contains(run.Stdout, "plugins linux-");
    }

    [TestMethod]
    public async Task Local_tool_manifest_install_runs_as_dotnet_configmanager()
    {
        await InstalledTool.PathAsync();
        if (InstalledTool.Feed is null)
        {
            Assert.Inconclusive($"{InstalledTool.ReuseVariable} is set: no feed was packed in this run.");
        }

        var dir = Directory.CreateTempSubdirectory("cm-manifest-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = InstalledTool.NuGetCache };
            await InstalledTool.RunDotnetInAsync(dir, env, "new", "tool-manifest");
            await InstalledTool.RunDotnetInAsync(dir, env, "tool", "install", "--add-source", InstalledTool.Feed, "ConfigManager.Tool", "--version", InstalledTool.Version);

            var output = await InstalledTool.RunDotnetInAsync(dir, env, "configmanager", "version");

            StringAssert.StartsWith(output, $"configmanager {InstalledTool.Version}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
