using System.Diagnostics;
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
/// plugins/AzAppConfig (NativeAOT) through the real PluginHost and go-plugin's gohost against <see cref="AppConfigServer"/>
/// over HTTPS: HMAC-signed with a connection string, or with Entra ID tokens from the real DefaultAzureCredential
/// (managed identity, pointed at <see cref="ManagedIdentityEndpoint"/>); Key Vault references followed to
/// <see cref="KeyVaultServer"/>. Every other destination goes to a <see cref="ProxyTrap"/> proxy.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class AppConfigPluginTests
{
    private const string Store = "orders-config";
    private const string TrickyValue = "q\"uote \\back\\slash\nline2\t\u00e9 {\"not\":\"json\"";
    private const string DbJson = """{"host":"db.internal","password":"ac-s3cret-pw"}""";
    private const string VaultSecret = "kv-referenced-s3cret";
    private const string ConnectionVariable = "AZURE_APPCONFIG_CONNECTION_STRING";

    private static TestCertificateAuthority? s_certificates;
    private static ManagedIdentityEndpoint? s_identity;
    private static KeyVaultServer? s_vault;
    private static AppConfigServer? s_config;
    private static ProxyTrap? s_trap;
    private static ProcessEnvironment? s_environment;
    private static string s_plugin = null!;
    private static string s_dbEtag = null!;
    private static DateTimeOffset s_beforeRotation;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.AzAppConfig);
        s_certificates = TestCertificateAuthority.Create();
        s_identity = await ManagedIdentityEndpoint.StartAsync();
        s_vault = await KeyVaultServer.StartAsync(s_certificates.ServerCertificate, s_identity);
        s_config = await AppConfigServer.StartAsync(s_certificates.ServerCertificate, s_identity);
        s_trap = ProxyTrap.Start();

        s_vault.SetSecret("db-password", VaultSecret);
        s_config.Set("app/db", """{"host":"old.internal","password":"ac-old-pw"}""", lastModified: DateTimeOffset.UtcNow.AddDays(-2));
        s_beforeRotation = DateTimeOffset.UtcNow.AddDays(-1);
        s_dbEtag = s_config.Set("app/db", DbJson);
        s_config.Set("app/db", """{"host":"prod.internal","password":"ac-prod-pw"}""", label: "prod");
        s_config.Set("table//token/1", TrickyValue);
        s_config.Set("App:Name With Spaces&=?", "plain-value");
        s_config.Set("App:Colon", "colon-prod", label: "prod/eu");
        s_config.SetKeyVaultReference("app/db-password", "https://orders-vault.vault.azure.net/secrets/db-password");
        s_config.SetKeyVaultReference("app/gone", "https://orders-vault.vault.azure.net/secrets/no-such-secret");
        s_config.Set("app/broken", "{\"url\":\"nope\"}", contentType: "application/vnd.microsoft.appconfig.keyvaultref+json;charset=utf-8");

        s_environment = new ProcessEnvironment();
        s_environment.Set(s_identity.CredentialEnvironment);
        s_environment.Set(s_trap.Environment.Select(variable => KeyValuePair.Create(variable.Name, variable.Value)));
        s_environment.Set(new Dictionary<string, string?>
        {
            ["SSL_CERT_FILE"] = s_certificates.CaCertificatePath,
            ["CONFIGMANAGER_AZAPPCONF_ENDPOINT"] = s_config.Endpoint.ToString(),
            ["CONFIGMANAGER_AZAPPCONF_DNS_SUFFIX"] = null,
            ["CONFIGMANAGER_AZAPPCONF_AUDIENCE"] = s_config.Audience,
            ["CONFIGMANAGER_AZKVSECRET_ENDPOINT"] = s_vault.VaultUri.ToString(),
            ["CONFIGMANAGER_AZKVSECRET_SKIP_CHALLENGE_RESOURCE_CHECK"] = "true",
            [ConnectionVariable] = null,
        });
        s_plugin = await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_environment?.Dispose();
        foreach (var server in new IAsyncDisposable?[] { s_config, s_vault, s_identity, s_trap })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        s_certificates?.Dispose();
    }

    [TestInitialize]
    public void UseAccessKey() => Environment.SetEnvironmentVariable(ConnectionVariable, s_config!.ConnectionString());

    [TestMethod]
    [DataRow(true, true, DisplayName = "access key, AutoMTLS")]
    [DataRow(true, false, DisplayName = "access key, plain")]
    [DataRow(false, true, DisplayName = "Entra ID, AutoMTLS")]
    [DataRow(false, false, DisplayName = "Entra ID, plain")]
    public async Task Key_values_resolve_with_labels_lookup_revisions_escaping_and_key_vault_references(bool accessKey, bool autoMtls)
    {
        if (!accessKey)
        {
            Environment.SetEnvironmentVariable(ConnectionVariable, null);
        }

        var log = new RecordingLogSink();
        var mask = new SecretMask();
        var trapBefore = s_trap!.Attempts.Count;
        var authBefore = s_config!.AuthLog.Count;
        var at = s_beforeRotation.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await using (var host = PublishedPluginHost.Create(log, mask, autoMtls))
        {
            var document = new SourceDocument(
                "appsettings.json",
                $$"""
                {"Db":"AZAPPCONF:///{{Store}}/app/db|password","Prod":"AZAPPCONF:///{{Store}}/app/db|host[label=prod]",
                 "Old":"AZAPPCONF:///{{Store}}/app/db|password[acceptedDateTime={{at}}]","Tricky":"AZAPPCONF:///{{Store}}/table//token/1",
                 "Ref":"AZAPPCONF:///{{Store}}/app/db-password",
                 "Pinned":"AZAPPCONF:///{{Store}}/app/db|host[ifMatch={{s_dbEtag}}]"}
                """,
                DocumentFormat.Json);
            var result = await TokenEngine.ResolveAsync([document], new EngineOptions(), host, log, mask, CancellationToken.None);

            Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
            using var json = JsonDocument.Parse(result.Documents[0].Text);
            Assert.AreEqual("ac-s3cret-pw", json.RootElement.GetProperty("Db").GetString());
            Assert.AreEqual("prod.internal", json.RootElement.GetProperty("Prod").GetString());
            Assert.AreEqual("ac-old-pw", json.RootElement.GetProperty("Old").GetString());
            Assert.AreEqual(TrickyValue, json.RootElement.GetProperty("Tricky").GetString());
            Assert.AreEqual(VaultSecret, json.RootElement.GetProperty("Ref").GetString());
            Assert.AreEqual("db.internal", json.RootElement.GetProperty("Pinned").GetString());
            Assert.AreEqual(1, host.LaunchCount, "one AZAPPCONF process for every token");
        }

        ProcessTable.AssertNoneRunning(s_plugin);
        Assert.AreEqual(trapBefore, s_trap.Attempts.Count, "the plugin tried to reach a host other than the local servers: " + string.Join(" | ", s_trap.Attempts));
        var auth = s_config.AuthLog.Skip(authBefore).ToList();
        Assert.IsTrue(auth.Count >= 6 && auth.All(a => a == (accessKey ? "hmac" : "bearer")), string.Join(",", auth));
        Assert.IsTrue(s_config.Http.Requests.Any(r => r.Header("accept-datetime") is not null), "acceptedDateTime was not sent as Accept-Datetime");
        Assert.IsTrue(s_config.Http.Requests.Any(r => r.Header("if-match") == $"\"{s_dbEtag}\""), "ifMatch was not sent quoted as If-Match");
        Assert.IsTrue(s_vault!.Requests.Any(r => r.StartsWith("GET /secrets/db-password?api-version=", StringComparison.Ordinal) && r.EndsWith(" issued", StringComparison.Ordinal)));
        AssertNoSecretIn(log.Lines);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "access key")]
    [DataRow(false, DisplayName = "Entra ID")]
    public async Task Keys_the_token_grammar_cannot_spell_are_escaped_and_signed_as_sent(bool accessKey)
    {
        // ':' ' ' '?' end a token in configmanager's grammar, so these keys reach the plugin only from a host that
        // sends the store path as is (the gRPC call); the plugin must still escape them and sign the escaped form.
        if (!accessKey)
        {
            Environment.SetEnvironmentVariable(ConnectionVariable, null);
        }

        Assert.AreEqual("plain-value", await ValueOfAsync($"/{Store}/App:Name With Spaces&=?"));
        Assert.AreEqual("colon-prod", await ValueOfAsync($"/{Store}/App:Colon", "label=prod/eu"));
        Assert.IsTrue(s_config!.Http.Requests.Any(r => r.PathAndQuery.Contains("label=prod/eu", StringComparison.Ordinal) || r.PathAndQuery.Contains("label=prod%2Feu", StringComparison.Ordinal)));
        Assert.AreEqual(accessKey ? "hmac" : "bearer", s_config.AuthLog.Last());
    }

    [TestMethod]
    public async Task Wrong_access_key_secret_is_rejected_by_signature_check()
    {
        Environment.SetEnvironmentVariable(ConnectionVariable, s_config!.ConnectionString(secret: Convert.ToBase64String(new byte[32])));

        var message = await ErrorOfAsync($"/{Store}/app/db");

        StringAssert.Contains(message, $"CM2303: store {s_config.Endpoint} rejected the access key's signature for key 'app/db' with no label (HTTP 401: Invalid Signature)");
        StringAssert.Contains(message, "Check AZURE_APPCONFIG_CONNECTION_STRING");
        Assert.AreEqual("hmac-rejected", s_config.AuthLog.Last());
        AssertNoSecretIn([message]);
    }

    [TestMethod]
    public async Task Malformed_connection_string_is_a_setting_error_without_the_secret()
    {
        Environment.SetEnvironmentVariable(ConnectionVariable, $"Endpoint={s_config!.Endpoint};Id=x;Secret=not base64!");

        var message = await ErrorOfAsync($"/{Store}/app/db");

        StringAssert.Contains(message, "CM2300: AZURE_APPCONFIG_CONNECTION_STRING Secret is not base64");
        Assert.DoesNotContain("not base64!", message);
    }

    [TestMethod]
    public async Task Rejected_entra_token_and_missing_role_say_what_to_do()
    {
        Environment.SetEnvironmentVariable(ConnectionVariable, null);
        s_config!.Inject(new InjectedFault(401, Headers: new Dictionary<string, string> { ["WWW-Authenticate"] = "HMAC-SHA256, Bearer error=\"invalid_token\", error_description=\"The access token is from the wrong issuer\"" }));

        var unauthorized = await ErrorOfAsync($"/{Store}/app/db");

        StringAssert.Contains(unauthorized, $"CM2303: store {s_config.Endpoint} rejected the Entra ID token for key 'app/db' with no label (HTTP 401: The access token is from the wrong issuer)");
        StringAssert.Contains(unauthorized, "CONFIGMANAGER_AZAPPCONF_AUDIENCE");

        s_config.Inject(new InjectedFault(403, """{"type":"https://azconfig.io/errors/forbidden","title":"Forbidden","status":403}"""));

        var forbidden = await ErrorOfAsync($"/{Store}/app/db", "label=prod");

        StringAssert.Contains(forbidden, $"CM2304: reading key 'app/db' with label 'prod' from store {s_config.Endpoint} was refused (HTTP 403: Forbidden)");
        StringAssert.Contains(forbidden, "'App Configuration Data Reader' role");
        AssertNoSecretIn([unauthorized, forbidden]);
    }

    [TestMethod]
    public async Task Missing_key_names_the_key_and_label()
    {
        var message = await ErrorOfAsync($"/{Store}/app/db", "label=staging");

        StringAssert.Contains(message, $"CM2305: key 'app/db' with label 'staging' not found in store {s_config!.Endpoint}");
        StringAssert.Contains(message, $"az appconfig kv show --name {Store} --key 'app/db' --label 'staging'");
    }

    [TestMethod]
    public async Task Etag_conditions_give_304_and_412_errors()
    {
        var unchanged = await ErrorOfAsync($"/{Store}/app/db", $"etag={s_dbEtag}");
        var changed = await ErrorOfAsync($"/{Store}/app/db", "ifMatch=0123abcd");
        var value = await ValueOfAsync($"/{Store}/app/db", "etag=0123abcd");

        StringAssert.Contains(unchanged, $"CM2307: key 'app/db' with no label in store {s_config!.Endpoint} is unchanged since etag {s_dbEtag} (HTTP 304)");
        StringAssert.Contains(changed, "CM2307: key 'app/db' with no label in store " + s_config.Endpoint + " has changed: it is no longer at etag 0123abcd (HTTP 412)");
        Assert.AreEqual(DbJson, value, "etag (configmanager's only-if-changed) returns the value when it changed");
    }

    [TestMethod]
    public async Task Throttled_and_failing_replies_are_retried_after_the_servers_delay()
    {
        s_config!.Inject(new InjectedFault(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "1" }));
        s_config.Inject(new InjectedFault(500, Headers: new Dictionary<string, string> { ["x-ms-retry-after-ms"] = "300" }));
        var before = s_config.Http.Requests.Count;

        var started = Stopwatch.StartNew();
        var value = await ValueOfAsync($"/{Store}/app/db");

        Assert.AreEqual(DbJson, value);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.2), started.Elapsed, "Retry-After: 1 plus 300 ms were not waited");
        Assert.AreEqual(3, s_config.Http.Requests.Count - before);
    }

    [TestMethod]
    public async Task Persistent_server_error_gives_up_with_the_attempt_count()
    {
        s_config!.Http.InjectFaults(new InjectedFault(503, Headers: new Dictionary<string, string> { ["Retry-After"] = "0" }), 5);

        var message = await ErrorOfAsync($"/{Store}/app/db");

        StringAssert.Contains(message, $"CM2308: store {s_config.Endpoint} answered HTTP 503 for key 'app/db' with no label (gave up after 5 attempts over ");
        StringAssert.Contains(message, "Retry later");
    }

    [TestMethod]
    public async Task Slow_reply_within_the_attempt_timeout_succeeds()
    {
        s_config!.Inject(new InjectedFault(0, Delay: TimeSpan.FromSeconds(2)));

        Assert.AreEqual(TrickyValue, await ValueOfAsync($"/{Store}/table//token/1"));
    }

    [TestMethod]
    public async Task Unreachable_store_is_retried_then_named()
    {
        var closed = LoopbackPort.Free();
        Environment.SetEnvironmentVariable("CONFIGMANAGER_AZAPPCONF_ENDPOINT", $"https://127.0.0.1:{closed}/");
        try
        {
            var message = await ErrorOfAsync($"/{Store}/app/db");

            StringAssert.Contains(message, $"CM2306: store https://127.0.0.1:{closed}/ could not be reached for key 'app/db' with no label (ConnectionError");
            StringAssert.Contains(message, "(gave up after 5 attempts over ");
        }
        finally
        {
            Environment.SetEnvironmentVariable("CONFIGMANAGER_AZAPPCONF_ENDPOINT", s_config!.Endpoint.ToString());
        }
    }

    [TestMethod]
    public async Task Broken_key_vault_references_name_the_vault_and_secret()
    {
        var missing = await ErrorOfAsync($"/{Store}/app/gone");
        var broken = await ErrorOfAsync($"/{Store}/app/broken");

        StringAssert.Contains(missing, $"CM2309: key 'app/gone' with no label in store {s_config!.Endpoint} is a Key Vault reference to secret no-such-secret in vault orders-vault, which could not be read: CM2295: secret orders-vault/no-such-secret not found in vault {s_vault!.VaultUri}");
        StringAssert.Contains(broken, "CM2309: key 'app/broken' with no label in store " + s_config.Endpoint + " has the Key Vault reference content type but no {\"uri\":\"https://...\"}");
        Assert.DoesNotContain("nope", broken);
    }

    [TestMethod]
    public async Task Key_vault_reference_to_a_host_that_is_not_a_vault_is_refused_before_any_request()
    {
        // Without an endpoint override only https://<vault>.vault.azure.net may receive the token.
        s_config!.SetKeyVaultReference("app/elsewhere", "https://vault.attacker.example/secrets/db-password");
        Environment.SetEnvironmentVariable("CONFIGMANAGER_AZKVSECRET_ENDPOINT", null);
        var trapBefore = s_trap!.Attempts.Count;
        var vaultBefore = s_vault!.Http.Requests.Count;
        try
        {
            var message = await ErrorOfAsync($"/{Store}/app/elsewhere");

            StringAssert.Contains(message, $"CM2309: key 'app/elsewhere' with no label in store {s_config.Endpoint} is a Key Vault reference to host vault.attacker.example, which is not a Key Vault host this plugin sends its token to");
            StringAssert.Contains(message, "CONFIGMANAGER_AZKVSECRET_DNS_SUFFIX");
            Assert.AreEqual(trapBefore, s_trap.Attempts.Count, string.Join(" | ", s_trap.Attempts));
            Assert.AreEqual(vaultBefore, s_vault.Http.Requests.Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CONFIGMANAGER_AZKVSECRET_ENDPOINT", s_vault.VaultUri.ToString());
        }
    }

    [TestMethod]
    [DataRow("/orders-config", "", "CM2301: AZAPPCONF token '/orders-config': must be store-name/key")]
    [DataRow("/o_c/app/db", "", "CM2301: AZAPPCONF token '/o_c/app/db': store name 'o_c' must be 5-50 letters")]
    [DataRow("/orders-config/app/db", "version=2", "CM2301: AZAPPCONF token '/orders-config/app/db': unknown metadata 'version' (known: label, etag, ifMatch, acceptedDateTime)")]
    [DataRow("/orders-config/app/db", "acceptedDateTime=yesterday", "CM2301: AZAPPCONF token '/orders-config/app/db': acceptedDateTime 'yesterday' is not a date and time")]
    public async Task Malformed_token_is_refused_before_any_request(string token, string metadata, string expected)
    {
        var before = s_config!.Http.Requests.Count;

        var message = await ErrorOfAsync(token, metadata);

        StringAssert.Contains(message, expected);
        Assert.AreEqual(before, s_config.Http.Requests.Count);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_reads_a_key_value_and_sees_error_text(bool autoMtls)
    {
        var go = GoBuild.Require().GoHost;
        ProcessTable.EnsureMarked();
        var ok = await ChildProcess.RunAsync(go, ["-plugin", s_plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", $"/{Store}/app/db", "-metadata", "label=prod"], TimeSpan.FromSeconds(60));
        var failed = await ChildProcess.RunAsync(go, ["-plugin", s_plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", $"/{Store}/app/nope"], TimeSpan.FromSeconds(60));

        Assert.AreEqual(0, ok.Code, ok.Stderr);
        Assert.AreEqual("""{"host":"prod.internal","password":"ac-prod-pw"}""" + "\n", ok.Stdout);
        Assert.AreEqual(1, failed.Code);
        StringAssert.Contains(failed.Stderr, $"CM2305: key 'app/nope' with no label not found in store {s_config!.Endpoint}");
        AssertNoSecretIn([ok.Stderr, failed.Stderr, failed.Stdout]);
        ProcessTable.AssertNoneRunning(s_plugin);
    }

    private static void AssertNoSecretIn(IEnumerable<string> lines)
    {
        var secrets = new[] { "ac-s3cret-pw", "ac-old-pw", VaultSecret, "q\"uote", s_config!.Secret, "mi-" };
        foreach (var line in lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, "a secret value or credential reached an output");
            }
        }
    }

    private static async Task<string> ValueOfAsync(string token, string metadata = "")
    {
        await using var host = PublishedPluginHost.Create(new RecordingLogSink(), new SecretMask());
        return await host.GetValueAsync(new ValueRequest("AZAPPCONF", token, metadata), CancellationToken.None);
    }

    private static async Task<string> ErrorOfAsync(string token, string metadata = "")
    {
        await using var host = PublishedPluginHost.Create(new RecordingLogSink(), new SecretMask());
        var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() =>
            host.GetValueAsync(new ValueRequest("AZAPPCONF", token, metadata), CancellationToken.None));
        Assert.AreEqual("CM2030", error.Code, error.Message);
        StringAssert.Contains(error.Message, s_plugin);
        return error.Message;
    }
}
