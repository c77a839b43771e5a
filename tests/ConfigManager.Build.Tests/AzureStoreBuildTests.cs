using System.Text.Json;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers.Azure;

namespace ConfigManager.Build.Tests;

/// <summary>
/// dotnet build of a consumer project whose appsettings.json holds AZKVSECRET and AZAPPCONF tokens, the NativeAOT
/// plugins reaching the local Key Vault and App Configuration servers: the copy in bin/ parses back with values that
/// hold quotes, backslashes and newlines, and no value reaches the build output.
/// </summary>
[TestClass]
public sealed class AzureStoreBuildTests
{
    private const string Tricky = "b\"uild\\pw\nsecond line 'q'";

    [TestMethod]
    public async Task Build_resolves_key_vault_and_app_configuration_tokens_into_bin()
    {
        var keyVault = await CSharpPlugins.PublishAsync(CSharpPlugin.AzKeyVault);
        var appConfig = await CSharpPlugins.PublishAsync(CSharpPlugin.AzAppConfig);
        await using var azure = await AzureStoreServers.StartAsync();
        azure.Vault.SetSecret("api-key", Tricky);
        azure.Config.Set("shop/db", JsonSerializer.Serialize(new { host = "db.internal", password = "ac-" + Tricky }), label: "prod");
        azure.Config.SetKeyVaultReference("shop/api-key", "https://shop-vault.vault.azure.net/secrets/api-key");

        var workspace = TestWorkspace.Create(nameof(Build_resolves_key_vault_and_app_configuration_tokens_into_bin));
        var pluginEnvironment = azure.PluginEnvironment(appConfigAccessKey: true)
            .Where(variable => variable.Value is not null)
            .ToDictionary(variable => variable.Key, variable => variable.Value!);
        workspace.InstallPlugin("AZKVSECRET", keyVault, pluginEnvironment);
        workspace.InstallPlugin("AZAPPCONF", appConfig, pluginEnvironment);
        var project = ConsumerProject.Console(workspace, "AzureApp");
        project.WriteFile("appsettings.json", """
            {
              "ApiKey": "AZKVSECRET:///shop-vault/api-key",
              "Db": { "Host": "AZAPPCONF:///shop-config/shop/db|host[label=prod]", "Password": "AZAPPCONF:///shop-config/shop/db|password[label=prod]" },
              "ApiKeyViaAppConfig": "AZAPPCONF:///shop-config/shop/api-key"
            }
            """);

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(project.BinDirectory, "appsettings.json")));
        var root = json.RootElement;
        Assert.AreEqual(Tricky, root.GetProperty("ApiKey").GetString());
        Assert.AreEqual("db.internal", root.GetProperty("Db").GetProperty("Host").GetString());
        Assert.AreEqual("ac-" + Tricky, root.GetProperty("Db").GetProperty("Password").GetString());
        Assert.AreEqual(Tricky, root.GetProperty("ApiKeyViaAppConfig").GetString());
        foreach (var secret in new[] { "uild\\pw", "uild\\\\pw", azure.Config.Secret })
        {
            Assert.DoesNotContain(secret, build.Output, "a value or the access key reached the build output");
        }

        Assert.AreEqual(0, azure.Trap.Attempts.Count, "a plugin tried to leave the machine: " + string.Join(" | ", azure.Trap.Attempts));
        Assert.IsTrue(azure.Config.AuthLog.Count >= 3 && azure.Config.AuthLog.All(a => a == "hmac"), string.Join(",", azure.Config.AuthLog));
        Scenario.AssertNoPluginLeft(workspace);
    }
}
