using System.Text.Json;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers.Vault;

namespace ConfigManager.Build.Tests;

/// <summary>dotnet build of a real project whose appsettings.json holds VAULT tokens: the NativeAOT plugin against the Vault stand-in, AppRole login.</summary>
[TestClass]
public sealed class VaultBuildTests
{
    private const string Password = "vault-build-s3cret";
    private const string SecretId = "vault-build-secret-id";

    [TestMethod]
    public async Task Build_resolves_VAULT_tokens_into_bin_with_one_AppRole_login()
    {
        var plugin = await CSharpPlugins.PublishAsync(CSharpPlugin.Vault);
        await using var vault = await VaultServer.StartAsync();
        vault.AddAppRole("build-role", SecretId, "secret/data/app/");
        vault.Mount("secret", 2);
        vault.Put("secret", "app/db", new { user = "app", password = Password });
        var workspace = TestWorkspace.Create(nameof(Build_resolves_VAULT_tokens_into_bin_with_one_AppRole_login));
        workspace.InstallPlugin("VAULT", plugin, new Dictionary<string, string>
        {
            ["VAULT_ADDR"] = vault.Address.ToString(),
            ["VAULT_ROLE_ID"] = "build-role",
            ["VAULT_SECRET_ID"] = SecretId,
        });
        var project = ConsumerProject.Console(workspace, "VaultApp");
        project.WriteFile("appsettings.json", """{"Db":{"Password":"VAULT://secret___app/db|password","User":"VAULT://secret___app/db|user"},"Plain":"unchanged"}""");

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(project.BinDirectory, "appsettings.json")));
        Assert.AreEqual(Password, json.RootElement.GetProperty("Db").GetProperty("Password").GetString());
        Assert.AreEqual("app", json.RootElement.GetProperty("Db").GetProperty("User").GetString());
        Assert.AreEqual("unchanged", json.RootElement.GetProperty("Plain").GetString());
        Assert.AreEqual(1, vault.LoginCount, "one login for the build");
        Assert.DoesNotContain(Password, build.ToString());
        Assert.DoesNotContain("hvs.", build.ToString());
        Scenario.AssertNoPluginLeft(workspace);
    }
}
