using System.Text.Json;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers.Aws;

namespace ConfigManager.Build.Tests;

/// <summary>A real dotnet build of a project whose appsettings.json uses AWSPARAMSTR tokens, resolved by the NativeAOT plugin against moto.</summary>
[TestClass]
public sealed class AwsParamStoreBuildTests
{
    private const string DbPassword = "build-db-pw-4Tq8";
    private const string ApiKeyV1 = "build-api-v1-8Rn3";
    private const string ApiKeyV2 = "build-api-v2-1Zs6";

    [TestMethod]
    public async Task Build_resolves_AWSPARAMSTR_tokens_from_moto_into_bin_and_leaks_nothing()
    {
        var plugin = await CSharpPlugins.PublishAsync(CSharpPlugin.AwsParamStore);
        await using var moto = await MotoServer.StartAsync();
        using (var client = moto.Client())
        {
            await client.PutParameterAsync("/build/db", $$"""{"user":"app","password":"{{DbPassword}}"}""", "SecureString");
            await client.PutParameterAsync("/build/api-key", ApiKeyV1, "SecureString");
            await client.PutParameterAsync("/build/api-key", ApiKeyV2, "SecureString", overwrite: true);
            await client.LabelParameterVersionAsync("/build/api-key", 1, "previous");
            await client.PutParameterAsync("/build/hosts", "a.local,b.local", "StringList");
        }

        var workspace = TestWorkspace.Create(nameof(Build_resolves_AWSPARAMSTR_tokens_from_moto_into_bin_and_leaks_nothing));
        var variables = moto.PluginEnvironment();
        // Only the plugin sees the endpoint and keys; the build's own environment loses every other AWS source.
        workspace.InstallPlugin("AWSPARAMSTR", plugin, variables.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!));
        foreach (var (name, value) in variables.Where(v => v.Value is null))
        {
            workspace.Environment[name] = value;
        }

        var project = ConsumerProject.Console(workspace, "AwsApp");
        var source = project.WriteFile("appsettings.json", """
            {
              "Database": { "Password": "AWSPARAMSTR:///build/db|password", "User": "AWSPARAMSTR:///build/db|user" },
              "ApiKey": "AWSPARAMSTR:///build/api-key",
              "PreviousApiKey": "AWSPARAMSTR:///build/api-key[label=previous]",
              "FirstApiKey": "AWSPARAMSTR:///build/api-key[version=1]",
              "Hosts": "AWSPARAMSTR:///build/hosts"
            }

            """);
        var sourceText = await File.ReadAllTextAsync(source);

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(project.BinDirectory, "appsettings.json")));
        var root = json.RootElement;
        Assert.AreEqual(DbPassword, root.GetProperty("Database").GetProperty("Password").GetString());
        Assert.AreEqual("app", root.GetProperty("Database").GetProperty("User").GetString());
        Assert.AreEqual(ApiKeyV2, root.GetProperty("ApiKey").GetString());
        Assert.AreEqual(ApiKeyV1, root.GetProperty("PreviousApiKey").GetString());
        Assert.AreEqual(ApiKeyV1, root.GetProperty("FirstApiKey").GetString());
        Assert.AreEqual("a.local,b.local", root.GetProperty("Hosts").GetString());
        Assert.AreEqual(sourceText, await File.ReadAllTextAsync(source), "the source appsettings.json was modified");
        foreach (var secret in new[] { DbPassword, ApiKeyV1, ApiKeyV2, MotoServer.SecretAccessKey })
        {
            Assert.DoesNotContain(secret, build.ToString(), "a value reached the build output");
        }

        Assert.AreEqual(1, workspace.Launches().Count, "one prefix, one plugin launch");
        Scenario.AssertNoPluginLeft(workspace);
    }
}
