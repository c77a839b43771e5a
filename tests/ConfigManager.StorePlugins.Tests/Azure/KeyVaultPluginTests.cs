using System.Net;
using System.Text.Json;
using ConfigManager.Core;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Resolution;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Azure;

namespace ConfigManager.StorePlugins.Tests.Azure;

/// <summary>
/// plugins/AzKeyVault (NativeAOT) through the real PluginHost against <see cref="KeyVaultServer"/> over HTTPS,
/// the real Azure.Identity DefaultAzureCredential restricted to managed identity and pointed at
/// <see cref="ManagedIdentityEndpoint"/>; every other destination goes to a <see cref="ProxyTrap"/> proxy.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class KeyVaultPluginTests
{
    private const string Vault = "orders-vault";
    private const string TrickyValue = "p\"w\\d\nline2\t\u00e9 {\"not\":\"json\"";
    private const string DbJson = """{"host":"db.internal","password":"kv-s3cret-pw"}""";

    private static TestCertificateAuthority? s_certificates;
    private static ManagedIdentityEndpoint? s_identity;
    private static KeyVaultServer? s_vault;
    private static ProxyTrap? s_trap;
    private static ProcessEnvironment? s_environment;
    private static string s_plugin = null!;
    private static string s_oldVersion = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.AzKeyVault);
        s_certificates = TestCertificateAuthority.Create();
        s_identity = await ManagedIdentityEndpoint.StartAsync();
        s_vault = await KeyVaultServer.StartAsync(s_certificates.ServerCertificate, s_identity);
        s_trap = ProxyTrap.Start();
        s_oldVersion = s_vault.SetSecret("db", """{"host":"old.internal","password":"kv-old-pw"}""");
        s_vault.SetSecret("db", DbJson);
        s_vault.SetSecret("tricky", TrickyValue);
        s_vault.SetSecret("retired", "kv-disabled-value", enabled: false);
        s_environment = new ProcessEnvironment();
        s_environment.Set(s_identity.CredentialEnvironment);
        s_environment.Set(s_trap.Environment.Select(variable => KeyValuePair.Create(variable.Name, variable.Value)));
        s_environment.Set(new Dictionary<string, string?>
        {
            ["SSL_CERT_FILE"] = s_certificates.CaCertificatePath,
            ["CONFIGMANAGER_AZKVSECRET_ENDPOINT"] = s_vault.VaultUri.ToString(),
            // localhost is not under the challenge's resource domain (x.localhost would need a DNS query off this machine).
            ["CONFIGMANAGER_AZKVSECRET_SKIP_CHALLENGE_RESOURCE_CHECK"] = "true",
        });
        s_plugin = await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_environment?.Dispose();
        if (s_vault is not null)
        {
            await s_vault.DisposeAsync();
        }

        if (s_identity is not null)
        {
            await s_identity.DisposeAsync();
        }

        if (s_trap is not null)
        {
            await s_trap.DisposeAsync();
        }

        s_certificates?.Dispose();
    }

    [TestMethod]
    [DataRow(true, DisplayName = "AutoMTLS")]
    [DataRow(false, DisplayName = "plain")]
    public async Task Secrets_resolve_through_the_host_with_version_key_lookup_and_escaping(bool autoMtls)
    {
        var log = new RecordingLogSink();
        var mask = new SecretMask();
        var trapBefore = s_trap!.Attempts.Count;
        await using (var host = PublishedPluginHost.Create(log, mask, autoMtls))
        {
            var document = new SourceDocument(
                "appsettings.json",
                $$"""{"Db":"AZKVSECRET:///{{Vault}}/db|password","Host":"AZKVSECRET:///{{Vault}}/db|host","Old":"AZKVSECRET:///{{Vault}}/db|password[version={{s_oldVersion}}]","Tricky":"AZKVSECRET:///{{Vault}}/tricky"}""",
                DocumentFormat.Json);
            var result = await TokenEngine.ResolveAsync([document], new EngineOptions(), host, log, mask, CancellationToken.None);

            Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
            using var json = JsonDocument.Parse(result.Documents[0].Text);
            Assert.AreEqual("kv-s3cret-pw", json.RootElement.GetProperty("Db").GetString());
            Assert.AreEqual("db.internal", json.RootElement.GetProperty("Host").GetString());
            Assert.AreEqual("kv-old-pw", json.RootElement.GetProperty("Old").GetString());
            Assert.AreEqual(TrickyValue, json.RootElement.GetProperty("Tricky").GetString());
            Assert.AreEqual(1, host.LaunchCount, "one AZKVSECRET process for every token");
        }

        ProcessTable.AssertNoneRunning(s_plugin);
        Assert.AreEqual(trapBefore, s_trap.Attempts.Count, "the plugin tried to reach a host other than the local servers: " + string.Join(" | ", s_trap.Attempts));
        Assert.IsTrue(s_vault!.Requests.Any(r => r.EndsWith(" none", StringComparison.Ordinal)), "the client did not run the bearer challenge");
        Assert.IsTrue(s_vault.Requests.Any(r => r.StartsWith($"GET /secrets/db/{s_oldVersion}?api-version=", StringComparison.Ordinal)), string.Join("\n", s_vault.Requests));
        Assert.IsFalse(s_vault.Requests.Any(r => r.EndsWith(" foreign", StringComparison.Ordinal)), "a token the identity endpoint did not issue was sent");
        foreach (var secret in new[] { "kv-s3cret-pw", "kv-old-pw", "p\"w", "mi-" })
        {
            Assert.IsFalse(log.Lines.Any(line => line.Contains(secret, StringComparison.Ordinal)), $"'{secret}' reached a log line");
        }
    }

    [TestMethod]
    public async Task Missing_secret_names_vault_and_secret()
    {
        var message = await ErrorOfAsync("/" + Vault + "/nosuch");

        StringAssert.Contains(message, $"CM2295: secret {Vault}/nosuch not found in vault {s_vault!.VaultUri} (SecretNotFound)");
        StringAssert.Contains(message, "Check the secret name and version");
    }

    [TestMethod]
    public async Task Missing_version_names_the_version()
    {
        var message = await ErrorOfAsync("/" + Vault + "/db", "version=0123456789abcdef");

        StringAssert.Contains(message, $"CM2295: secret {Vault}/db version 0123456789abcdef not found");
    }

    [TestMethod]
    public async Task Disabled_secret_says_how_to_enable_it_without_its_value()
    {
        var message = await ErrorOfAsync("/" + Vault + "/retired");

        StringAssert.Contains(message, $"CM2296: secret {Vault}/retired in vault {s_vault!.VaultUri} is disabled");
        Assert.DoesNotContain("kv-disabled-value", message);
    }

    [TestMethod]
    public async Task Forbidden_names_the_role_to_grant()
    {
        s_vault!.Inject(KeyVaultServer.Error(HttpStatusCode.Forbidden, "Forbidden"));

        var message = await ErrorOfAsync("/" + Vault + "/db");

        StringAssert.Contains(message, $"CM2294: reading secret {Vault}/db from vault {s_vault.VaultUri} was refused (HTTP 403 Forbidden)");
        StringAssert.Contains(message, "'Key Vault Secrets User' role");
        Assert.DoesNotContain("kv-s3cret-pw", message);
    }

    [TestMethod]
    public async Task Throttled_reply_is_retried_after_the_servers_delay()
    {
        s_vault!.Inject(KeyVaultServer.Error(HttpStatusCode.TooManyRequests, headers: new Dictionary<string, string> { ["Retry-After"] = "1" }));
        s_vault.Inject(KeyVaultServer.Error(HttpStatusCode.ServiceUnavailable, headers: new Dictionary<string, string> { ["x-ms-retry-after-ms"] = "300" }));
        var before = s_vault.Http.Requests.Count;

        var started = System.Diagnostics.Stopwatch.StartNew();
        var value = await ValueOfAsync("/" + Vault + "/db");

        Assert.AreEqual(DbJson, value);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.2), started.Elapsed, "Retry-After: 1 plus 300 ms were not waited");
        // Faulted replies never reach the vault's handler: count what the HTTP server received (challenge + 3 with the token).
        Assert.AreEqual(3, s_vault.Http.Requests.Skip(before).Count(r => r.Header("authorization") is not null));
    }

    [TestMethod]
    public async Task Persistent_server_error_gives_up_with_the_attempt_count()
    {
        for (var i = 0; i < 5; i++)
        {
            s_vault!.Inject(KeyVaultServer.Error(HttpStatusCode.InternalServerError, headers: new Dictionary<string, string> { ["Retry-After"] = "0" }));
        }

        var message = await ErrorOfAsync("/" + Vault + "/db");

        StringAssert.Contains(message, $"CM2297: vault {s_vault!.VaultUri} answered HTTP 500 for secret {Vault}/db (gave up after 5 attempts over ");
        StringAssert.Contains(message, "Retry later");
    }

    [TestMethod]
    public async Task Rejected_token_says_what_to_check_and_is_not_retried()
    {
        s_vault!.Inject(KeyVaultServer.Error(HttpStatusCode.Unauthorized, "Unauthorized"));
        var before = s_vault.Http.Requests.Count;

        var message = await ErrorOfAsync("/" + Vault + "/db");

        StringAssert.Contains(message, $"CM2293: vault {s_vault.VaultUri} rejected the credential for secret {Vault}/db (HTTP 401 Unauthorized)");
        StringAssert.Contains(message, "AZURE_TENANT_ID");
        Assert.AreEqual(1, s_vault.Http.Requests.Skip(before).Count(r => r.Header("authorization") is not null), "a 401 is not worth another attempt");
        Assert.DoesNotContain("kv-s3cret-pw", message);
    }

    [TestMethod]
    public async Task Slow_reply_within_the_network_timeout_succeeds()
    {
        s_vault!.Inject(new InjectedFault(0, Delay: TimeSpan.FromSeconds(2)));

        Assert.AreEqual(TrickyValue, await ValueOfAsync("/" + Vault + "/tricky"));
    }

    [TestMethod]
    [DataRow("/orders-vault", "CM2291: AZKVSECRET token '/orders-vault' must be vault-name/secret-name")]
    [DataRow("/orders-vault/a/b", "CM2291: AZKVSECRET token '/orders-vault/a/b' must be vault-name/secret-name")]
    [DataRow("/o_v/db", "CM2291: AZKVSECRET token '/o_v/db': vault name 'o_v' must be 3-24 letters")]
    [DataRow("/orders-vault/db_pw", "CM2291: AZKVSECRET token '/orders-vault/db_pw': secret name 'db_pw' must be 1-127 letters")]
    public async Task Malformed_token_is_refused_before_any_request(string token, string expected)
    {
        var before = s_vault!.Requests.Count;

        var message = await ErrorOfAsync(token);

        StringAssert.Contains(message, expected);
        Assert.AreEqual(before, s_vault.Requests.Count);
    }

    [TestMethod]
    public async Task Unknown_metadata_is_refused()
    {
        var message = await ErrorOfAsync("/" + Vault + "/db", "label=prod");

        StringAssert.Contains(message, "CM2291: AZKVSECRET token '/orders-vault/db': unknown metadata 'label' (only version=<secret-version-id> is understood)");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_reads_a_secret_version_and_sees_error_text(bool autoMtls)
    {
        var go = GoBuild.Require().GoHost;
        ProcessTable.EnsureMarked();
        var ok = await ChildProcess.RunAsync(go, ["-plugin", s_plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", $"/{Vault}/db", "-metadata", "version=" + s_oldVersion], TimeSpan.FromSeconds(60));
        var failed = await ChildProcess.RunAsync(go, ["-plugin", s_plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", $"/{Vault}/nosuch"], TimeSpan.FromSeconds(60));

        Assert.AreEqual(0, ok.Code, ok.Stderr);
        Assert.AreEqual("""{"host":"old.internal","password":"kv-old-pw"}""" + "\n", ok.Stdout);
        Assert.AreEqual(1, failed.Code);
        StringAssert.Contains(failed.Stderr, $"CM2295: secret {Vault}/nosuch not found in vault {s_vault!.VaultUri}");
        foreach (var secret in new[] { "kv-old-pw", "kv-s3cret-pw", "mi-" })
        {
            Assert.DoesNotContain(secret, ok.Stderr + failed.Stderr + failed.Stdout);
        }

        ProcessTable.AssertNoneRunning(s_plugin);
    }

    private static async Task<string> ValueOfAsync(string token, string metadata = "")
    {
        await using var host = PublishedPluginHost.Create(new RecordingLogSink(), new SecretMask());
        var reply = await host.GetValueAsync(new ValueRequest("AZKVSECRET", token, metadata), CancellationToken.None);
        return reply;
    }

    private static async Task<string> ErrorOfAsync(string token, string metadata = "")
    {
        await using var host = PublishedPluginHost.Create(new RecordingLogSink(), new SecretMask());
        var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() =>
            host.GetValueAsync(new ValueRequest("AZKVSECRET", token, metadata), CancellationToken.None));
        Assert.AreEqual("CM2030", error.Code, error.Message);
        StringAssert.Contains(error.Message, s_plugin);
        return error.Message;
    }
}
