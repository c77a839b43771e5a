using System.Text.Json;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers.Azure;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

/// <summary>
/// The installed tool's string-input with the AZKVSECRET and AZAPPCONF plugins (NativeAOT) against the local Key Vault
/// and App Configuration servers: values with quotes, backslashes and newlines come back out of the JSON intact.
/// </summary>
[TestClass]
public sealed class AzureStoreToolTests
{
    private const string Tricky = "pa\"ss\\w0rd\nline2 'x' {\"not\":\"json\"}";
    private const string VaultOnly = "kv-only-s3cret \"q\" \\ end";

    [TestMethod]
    [DataRow(true, DisplayName = "App Configuration access key")]
    [DataRow(false, DisplayName = "App Configuration Entra ID")]
    public async Task String_input_resolves_both_azure_prefixes_into_parseable_json(bool accessKey)
    {
        var keyVault = await CSharpPlugins.PublishAsync(CSharpPlugin.AzKeyVault);
        var appConfig = await CSharpPlugins.PublishAsync(CSharpPlugin.AzAppConfig);
        await using var azure = await AzureStoreServers.StartAsync();
        azure.Vault.SetSecret("db", JsonSerializer.Serialize(new { password = Tricky, user = "app" }));
        azure.Vault.SetSecret("only", VaultOnly);
        azure.Config.Set("app/message", Tricky);
        azure.Config.Set("app/message", "prod " + Tricky, label: "prod");
        azure.Config.SetKeyVaultReference("app/vault-ref", "https://orders-vault.vault.azure.net/secrets/only");
        ProcessTable.EnsureMarked();
        using var layout = PluginLayout.WithSymlink("AZKVSECRET", keyVault);
        layout.InstallSymlink("AZAPPCONF", appConfig);
        var work = Directory.CreateTempSubdirectory("cm-tool-azure-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work, "appsettings.json"), """
                {
                  "Db": { "Password": "AZKVSECRET:///orders-vault/db|password", "User": "AZKVSECRET:///orders-vault/db|user" },
                  "Message": "AZAPPCONF:///orders-config/app/message",
                  "ProdMessage": "AZAPPCONF:///orders-config/app/message[label=prod]",
                  "FromVault": "AZAPPCONF:///orders-config/app/vault-ref"
                }
                """);
            var options = new ToolRunOptions { Timeout = TimeSpan.FromSeconds(120) };
            // Unset ones (null) are not set on this machine either; the tool's children inherit the rest.
            foreach (var (name, value) in azure.PluginEnvironment(accessKey).Where(variable => variable.Value is not null))
            {
                options.Environment[name] = value!;
            }

            var run = await InstalledTool.RunAsync(work, options, "string-input", "-i", "appsettings.json", "-p", "out.json", "--plugin-dir", layout.Root);

            Assert.AreEqual(0, run.ExitCode, run.ToString());
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(work, "out.json")));
            var root = json.RootElement;
            Assert.AreEqual(Tricky, root.GetProperty("Db").GetProperty("Password").GetString());
            Assert.AreEqual("app", root.GetProperty("Db").GetProperty("User").GetString());
            Assert.AreEqual(Tricky, root.GetProperty("Message").GetString());
            Assert.AreEqual("prod " + Tricky, root.GetProperty("ProdMessage").GetString());
            Assert.AreEqual(VaultOnly, root.GetProperty("FromVault").GetString());
            foreach (var secret in new[] { "pa\"ss", "pa\\\"ss", "kv-only-s3cret", azure.Config.Secret })
            {
                Assert.DoesNotContain(secret, run.Stdout + run.Stderr, "a value or the access key reached the tool's output");
            }

            Assert.AreEqual(0, azure.Trap.Attempts.Count, "a plugin tried to leave the machine: " + string.Join(" | ", azure.Trap.Attempts));
            Assert.IsTrue(azure.Config.AuthLog.All(a => a == (accessKey ? "hmac" : "bearer")), string.Join(",", azure.Config.AuthLog));
            ProcessTable.AssertNoneRunning(keyVault);
            ProcessTable.AssertNoneRunning(appConfig);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
