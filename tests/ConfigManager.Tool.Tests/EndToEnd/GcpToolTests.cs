using System.Text.Json;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Gcp;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

/// <summary>
/// The installed tool's string-input with GCPSECRETS tokens (and |key lookups): the NativeAOT plugin against the Secret
/// Manager stand-in over HTTPS, with a service-account key file; every other host is caught by a proxy trap.
/// </summary>
[TestClass]
public sealed class GcpToolTests
{
    private const string Password = "gcp-tool-s3cret";

    [TestMethod]
    public async Task String_input_resolves_GCPSECRETS_tokens_with_key_lookup_and_versions()
    {
        var plugin = await CSharpPlugins.PublishAsync(CSharpPlugin.GcpSecrets);
        using var ca = TestCertificateAuthority.Create();
        await using var secrets = await SecretManagerServer.StartAsync(ca.ServerCertificate);
        await using var trap = ProxyTrap.Start();
        using var account = GcpServiceAccount.Create("tool@cm-e2e.iam.gserviceaccount.com", secrets.TokenUri);
        secrets.AddServiceAccount(account);
        secrets.Grant(account.Email, "projects/cm-e2e/secrets/db");
        secrets.AddVersion("cm-e2e", "db", """{"password":"gcp-tool-old"}""");
        secrets.AddVersion("cm-e2e", "db", $$"""{"user":"app","password":"{{Password}}"}""");
        var work = Directory.CreateTempSubdirectory("cm-tool-gcp-").FullName;
        ProcessTable.EnsureMarked();
        using var layout = PluginLayout.WithSymlink("GCPSECRETS", plugin);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work, "appsettings.json"),
                """{"Db":{"Password":"GCPSECRETS:///projects/cm-e2e/secrets/db|password","Old":"GCPSECRETS:///projects/cm-e2e/secrets/db|password[version=1]","User":"GCPSECRETS:///projects/cm-e2e/secrets/db|user"}}""");
            var options = new ToolRunOptions
            {
                Environment =
                {
                    ["GOOGLE_APPLICATION_CREDENTIALS"] = account.KeyFile,
                    ["CONFIGMANAGER_GCPSECRETS_ENDPOINT"] = secrets.Endpoint,
                    ["SSL_CERT_FILE"] = ca.CaCertificatePath,
                    ["NO_GCE_CHECK"] = "true",
                },
            };
            foreach (var (name, value) in trap.Environment)
            {
                options.Environment[name] = value ?? string.Empty;
            }

            var run = await InstalledTool.RunAsync(work, options, "string-input", "-i", "appsettings.json", "-p", "stdout", "--plugin-dir", layout.Root);

            Assert.AreEqual(0, run.ExitCode, run.ToString());
            using var json = JsonDocument.Parse(run.Stdout);
            var db = json.RootElement.GetProperty("Db");
            Assert.AreEqual(Password, db.GetProperty("Password").GetString());
            Assert.AreEqual("gcp-tool-old", db.GetProperty("Old").GetString());
            Assert.AreEqual("app", db.GetProperty("User").GetString());
            Assert.AreEqual(1, secrets.TokenGrants, "one access token for the run");
            Assert.DoesNotContain(Password, run.Stderr);
            Assert.DoesNotContain("ya29.", run.Stderr + run.Stdout);
            Assert.IsEmpty(trap.Attempts, string.Join(" | ", trap.Attempts));
            ProcessTable.AssertNoneRunning(plugin);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
