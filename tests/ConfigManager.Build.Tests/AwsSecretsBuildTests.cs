using System.Text.Json;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Aws;

namespace ConfigManager.Build.Tests;

/// <summary>
/// A real <c>dotnet build</c> of a project whose appsettings.json holds the README's AWSSECRETS tokens, resolved by the
/// AWSSECRETS plugin (NativeAOT) against a real moto. Nothing leaves loopback (proxy trap); no value reaches the console
/// or the binlog.
/// </summary>
[TestClass]
public sealed class AwsSecretsBuildTests
{
    private const string Current = "build-sm-current-pw";
    private const string Previous = "build-sm-previous-pw";

    [TestMethod]
    public async Task Build_resolves_awssecrets_tokens_with_key_lookup_and_stage_into_bin()
    {
        var plugin = await CSharpPlugins.PublishAsync(CSharpPlugin.AwsSecrets);
        await using var moto = await MotoServer.StartAsync();
        await using var trap = ProxyTrap.Start();
        using (var client = moto.Client())
        {
            await client.CreateSecretAsync("/app/db", secretString: $$"""{"user":"app","password":"{{Previous}}"}""");
            await client.PutSecretValueAsync("/app/db", secretString: $$"""{"user":"app","password":"{{Current}}"}""");
        }

        var workspace = TestWorkspace.Create(nameof(Build_resolves_awssecrets_tokens_with_key_lookup_and_stage_into_bin));
        var pluginEnvironment = moto.PluginEnvironment().Concat(trap.Environment)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Name, pair => pair.Value!);
        workspace.InstallPlugin("AWSSECRETS", plugin, pluginEnvironment);
        var project = ConsumerProject.Console(workspace, "AwsSecretsApp");
        var source = project.WriteFile("appsettings.json", """
            {
              "ConnectionStrings": {
                "Db": "Host=db;Password=AWSSECRETS:///app/db|password",
                "Previous": "AWSSECRETS:///app/db|password[version=AWSPREVIOUS]"
              },
              "User": "AWSSECRETS:///app/db|user"
            }
            """);
        var sourceText = File.ReadAllText(source);
        var logs = Path.Combine(workspace.Root, "logs");
        Directory.CreateDirectory(logs);

        var build = project.Build("-bl:" + Path.Combine(logs, "build.binlog"));

        Scenario.AssertSucceeded(build);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(project.BinDirectory, "appsettings.json"))))
        {
            var strings = json.RootElement.GetProperty("ConnectionStrings");
            Assert.AreEqual($"Host=db;Password={Current}", strings.GetProperty("Db").GetString());
            Assert.AreEqual(Previous, strings.GetProperty("Previous").GetString());
            Assert.AreEqual("app", json.RootElement.GetProperty("User").GetString());
        }

        Assert.AreEqual(sourceText, File.ReadAllText(source), "the source appsettings.json was modified");
        var replayLog = Path.Combine(logs, "build.diag.log");
        Scenario.AssertSucceeded(Dotnet.Run(logs, workspace.Environment, TimeSpan.FromMinutes(3), "msbuild", Path.Combine(logs, "build.binlog"), "-noconlog", "-flp:logfile=" + replayLog + ";verbosity=diagnostic"));
        var diagnostic = File.ReadAllText(replayLog);
        StringAssert.Contains(diagnostic, "ResolveConfigTokens", "the replayed binlog must show the task ran, or the search below proves nothing");
        foreach (var value in new[] { Current, Previous, MotoServer.SecretAccessKey })
        {
            Assert.DoesNotContain(value, build.Output, "a value reached the build console");
            Assert.DoesNotContain(value, diagnostic, "a value reached the binlog");
        }

        Assert.IsEmpty(trap.Attempts, "the plugin tried to leave loopback: " + string.Join(", ", trap.Attempts));
        Assert.AreEqual(1, workspace.Launches().Count, "one prefix, one plugin launch");
        Scenario.AssertNoPluginLeft(workspace);
    }
}
