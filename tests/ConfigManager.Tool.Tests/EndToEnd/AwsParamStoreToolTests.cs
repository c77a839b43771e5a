using System.Text.Json;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers.Aws;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

/// <summary>The installed tool with the AWSPARAMSTR plugin (NativeAOT) against moto: retrieve and string-input with key lookup.</summary>
[TestClass]
public sealed class AwsParamStoreToolTests
{
    private const string Password = "tool-pw-5Vb9";
    private const string Token = "tool-token-2Jc7";

    private static MotoServer s_moto = null!;
    private static string s_plugin = null!;

    private string _work = null!;
    private TestSupport.PluginLayout _layout = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.AwsParamStore);
        s_moto = await MotoServer.StartAsync();
        using var client = s_moto.Client();
        await client.PutParameterAsync("/tool/db", $$"""{"host":"db.local","password":"{{Password}}"}""", "SecureString");
        await client.PutParameterAsync("/tool/token", Token, "SecureString");
        s_plugin = await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync() => await s_moto.DisposeAsync();

    [TestInitialize]
    public void Setup()
    {
        ProcessTable.EnsureMarked();
        _layout = TestSupport.PluginLayout.WithSymlink("AWSPARAMSTR", s_plugin);
        _work = Directory.CreateTempSubdirectory("cm-tool-aws-").FullName;
    }

    [TestCleanup]
    public void Cleanup()
    {
        _layout.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private static ToolRunOptions MotoOptions()
    {
        var options = new ToolRunOptions();
        foreach (var (name, value) in s_moto.PluginEnvironment())
        {
            // The tool's environment has no other AWS variables here; the unset ones stay unset.
            if (value is not null)
            {
                options.Environment[name] = value;
            }
        }

        return options;
    }

    private async Task<ToolResult> RunAsync(params string[] args)
    {
        var run = await InstalledTool.RunAsync(_work, MotoOptions(), [.. args, "--plugin-dir", _layout.Root]);
        ProcessTable.AssertNoneRunning(s_plugin);
        foreach (var secret in new[] { Password, Token, MotoServer.SecretAccessKey })
        {
            Assert.DoesNotContain(secret, run.Stderr, "a value reached the tool's log");
        }

        return run;
    }

    [TestMethod]
    public async Task Retrieve_prints_export_lines_for_a_SecureString_and_a_looked_up_key()
    {
        var run = await RunAsync("retrieve", "-t", "AWSPARAMSTR:///tool/token", "-t", "AWSPARAMSTR:///tool/db|password", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, $"='{Token}'");
        StringAssert.Contains(run.Stdout, $"='{Password}'");
    }

    [TestMethod]
    public async Task String_input_resolves_a_file_with_key_lookup()
    {
        await File.WriteAllTextAsync(Path.Combine(_work, "appsettings.json"), """{"Db":{"Host":"AWSPARAMSTR:///tool/db|host","Password":"AWSPARAMSTR:///tool/db|password"},"Token":"AWSPARAMSTR:///tool/token"}""");

        var run = await RunAsync("string-input", "-i", "appsettings.json", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.AreEqual("db.local", json.RootElement.GetProperty("Db").GetProperty("Host").GetString());
        Assert.AreEqual(Password, json.RootElement.GetProperty("Db").GetProperty("Password").GetString());
        Assert.AreEqual(Token, json.RootElement.GetProperty("Token").GetString());
    }

    [TestMethod]
    public async Task A_missing_parameter_exits_1_with_CM2210_naming_it()
    {
        var run = await RunAsync("retrieve", "-t", "AWSPARAMSTR:///tool/nothing", "-p", "stdout");

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CM2210: AWSPARAMSTR token '/tool/nothing': no such parameter");
    }
}
