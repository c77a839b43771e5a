using System.Text.Json;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers.Vault;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

/// <summary>The installed tool's string-input with VAULT tokens (and |key lookups), the NativeAOT plugin against the Vault stand-in.</summary>
[TestClass]
public sealed class VaultToolTests
{
    private const string Token = "hvs.tool-e2e-token";
    private const string Password = "vault-tool-s3cret";

    [TestMethod]
    public async Task String_input_resolves_VAULT_tokens_with_key_lookup_and_versions()
    {
        var plugin = await CSharpPlugins.PublishAsync(CSharpPlugin.Vault);
        await using var vault = await VaultServer.StartAsync();
        vault.AddToken(Token, "*");
        vault.Mount("secret", 2);
        vault.Put("secret", "app/db", new { password = "vault-tool-old" });
        vault.Put("secret", "app/db", new { user = "app", password = Password });
        var work = Directory.CreateTempSubdirectory("cm-tool-vault-").FullName;
        ProcessTable.EnsureMarked();
        using var layout = PluginLayout.WithSymlink("VAULT", plugin);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work, "appsettings.json"),
                """{"Db":{"Password":"VAULT://secret___app/db|password","Old":"VAULT://secret___app/db|password[version=1]","User":"VAULT://secret___app/db|user"}}""");
            var options = new ToolRunOptions { Environment = { ["VAULT_ADDR"] = vault.Address.ToString(), ["VAULT_TOKEN"] = Token } };

            var run = await InstalledTool.RunAsync(work, options, "string-input", "-i", "appsettings.json", "-p", "stdout", "--plugin-dir", layout.Root);

            Assert.AreEqual(0, run.ExitCode, run.ToString());
            using var json = JsonDocument.Parse(run.Stdout);
            var db = json.RootElement.GetProperty("Db");
            Assert.AreEqual(Password, db.GetProperty("Password").GetString());
            Assert.AreEqual("vault-tool-old", db.GetProperty("Old").GetString());
            Assert.AreEqual("app", db.GetProperty("User").GetString());
            Assert.DoesNotContain(Password, run.Stderr);
            Assert.DoesNotContain(Token, run.Stderr + run.Stdout);
            ProcessTable.AssertNoneRunning(plugin);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
