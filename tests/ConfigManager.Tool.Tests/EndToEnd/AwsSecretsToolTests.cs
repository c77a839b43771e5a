using System.Text.Json;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Aws;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

/// <summary>
/// The installed tool with the AWSSECRETS plugin (NativeAOT) against a real moto: <c>retrieve</c> and
/// <c>string-input</c> with <c>|key</c> lookups and a stage. A proxy trap catches anything not meant for loopback;
/// stdout aside, no output may hold a secret value.
/// </summary>
[TestClass]
public sealed class AwsSecretsToolTests
{
    private const string Current = "tool-sm-current-pw";
    private const string Previous = "tool-sm-previous-pw";

    private static MotoServer s_moto = null!;
    private static string s_plugin = null!;

    private string _work = null!;
    private PluginLayout _layout = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.AwsSecrets);
        s_moto = await MotoServer.StartAsync();
        using var client = s_moto.Client();
        await client.CreateSecretAsync("/app/db", secretString: $$"""{"user":"app","password":"{{Previous}}"}""");
        await client.PutSecretValueAsync("/app/db", secretString: $$"""{"user":"app","password":"{{Current}}"}""");
        s_plugin = await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync() => await s_moto.DisposeAsync();

    [TestInitialize]
    public void Setup()
    {
        ProcessTable.EnsureMarked();
        _layout = PluginLayout.WithSymlink("AWSSECRETS", s_plugin);
        _work = Directory.CreateTempSubdirectory("cm-tool-awssm-").FullName;
    }

    [TestCleanup]
    public void Cleanup()
    {
        _layout.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [TestMethod]
    public async Task Retrieve_prints_a_key_of_the_current_and_the_previous_stage()
    {
        var run = await RunAsync("retrieve", "-t", "AWSSECRETS:///app/db|password", "-t", "AWSSECRETS:///app/db|password[version=AWSPREVIOUS]", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(2, lines, run.Stdout);
        StringAssert.EndsWith(lines[0], $"='{Current}'");
        StringAssert.EndsWith(lines[1], $"='{Previous}'");
        Assert.IsTrue(lines.All(line => line.StartsWith("export ", StringComparison.Ordinal)), run.Stdout);
    }

    [TestMethod]
    public async Task String_input_resolves_json_keys_in_a_file()
    {
        await File.WriteAllTextAsync(
            Path.Combine(_work, "appsettings.json"),
            """{"Db":"Host=db;Password=AWSSECRETS:///app/db|password","User":"AWSSECRETS:///app/db|user","Old":"AWSSECRETS:///app/db|password[version=AWSPREVIOUS]"}""");

        var run = await RunAsync("string-input", "-i", "appsettings.json", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.AreEqual($"Host=db;Password={Current}", json.RootElement.GetProperty("Db").GetString());
        Assert.AreEqual("app", json.RootElement.GetProperty("User").GetString());
        Assert.AreEqual(Previous, json.RootElement.GetProperty("Old").GetString());
    }

    [TestMethod]
    public async Task A_missing_secret_exits_1_with_the_plugins_error_text()
    {
        var run = await RunAsync("retrieve", "-t", "AWSSECRETS:///app/missing|password", "-p", "stdout");

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CM2201: AWSSECRETS token '/app/missing': Secrets Manager answered ResourceNotFoundException");
        Assert.AreEqual(string.Empty, run.Stdout);
    }

    private async Task<ToolResult> RunAsync(params string[] args)
    {
        await using var trap = ProxyTrap.Start();
        var options = new ToolRunOptions();
        foreach (var (name, value) in s_moto.PluginEnvironment().Concat(trap.Environment))
        {
            if (value is not null)
            {
                options.Environment[name] = value;
            }
        }

        var run = await InstalledTool.RunAsync(_work, options, [.. args, "--plugin-dir", _layout.Root]);
        ProcessTable.AssertNoneRunning(s_plugin);
        Assert.IsEmpty(trap.Attempts, "the run tried to leave loopback: " + string.Join(", ", trap.Attempts));
        foreach (var secret in new[] { Current, Previous, MotoServer.SecretAccessKey })
        {
            Assert.DoesNotContain(secret, run.Stderr, "a secret value reached stderr");
        }

        return run;
    }
}
