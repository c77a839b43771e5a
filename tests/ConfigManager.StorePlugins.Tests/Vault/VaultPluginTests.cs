using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Vault;

namespace ConfigManager.StorePlugins.Tests.Vault;

/// <summary>
/// plugins/Vault (NativeAOT, a real process under Core's PluginHost or go-plugin's own gohost) against the Vault
/// stand-in on 127.0.0.1: KV v2 with versions and deleted versions, KV v1, token / ~/.vault-token / AppRole, namespaces,
/// HTTPS through VAULT_CACERT, and every error text the plugin returns.
/// </summary>
[TestClass]
public sealed class VaultPluginTests
{
    private const string RootToken = "hvs.root-test-token";
    private const string NarrowToken = "hvs.narrow-test-token";
    private const string RoleId = "role-1234";
    private const string SecretId = "secret-id-5678";
    private const string Password2 = "vault-s3cret-v2";
    private const string Password1 = "vault-s3cret-v1";
    private const string LegacyKey = "kv1-legacy-key";
    private const string NamespacedPassword = "ns-team-a-s3cret";

    private static readonly string[] s_secrets = [RootToken, NarrowToken, SecretId, Password1, Password2, LegacyKey, NamespacedPassword];

    private static VaultServer s_vault = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.Vault);
        s_vault = await VaultServer.StartAsync();
        Seed(s_vault);
        await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync() => await s_vault.DisposeAsync();

    private static void Seed(VaultServer vault)
    {
        vault.AddToken(RootToken, "*");
        vault.AddToken(NarrowToken, "secret/data/app/db");
        vault.AddAppRole(RoleId, SecretId, "*");
        vault.Mount("secret", 2);
        vault.Put("secret", "app/db", new { password = Password1 });
        vault.Put("secret", "app/db", new { user = "app", password = Password2, port = 5432 });
        vault.Put("secret", "app/rotated", new { password = "gone" });
        vault.Delete("secret", "app/rotated", 1);
        vault.Put("secret", "app/burnt", new { password = "burnt" });
        vault.Delete("secret", "app/burnt", 1, destroy: true);
        vault.Mount("kv1", 1);
        vault.Put("kv1", "app/legacy", new { api_key = LegacyKey });
        vault.Mount("platform/kv", 2);
        vault.Put("platform/kv", "svc", new { name = "svc-a" });
        vault.Mount("secret", 2, ns: "team-a");
        vault.Put("secret", "app/db", new { password = NamespacedPassword }, ns: "team-a");
    }

    private static Dictionary<string, string?> WithToken(string token = RootToken, string? address = null) =>
        new() { ["VAULT_ADDR"] = address ?? s_vault.Address.ToString(), ["VAULT_TOKEN"] = token };

    [TestMethod]
    [DataRow(true, DisplayName = "AutoMTLS")]
    [DataRow(false, DisplayName = "plain")]
    public async Task KV_v2_latest_and_versions_and_KV_v1_resolve_in_one_plugin_process(bool autoMtls)
    {
        var before = s_vault.Requests.Count;
        var (result, log, launches) = await VaultPluginRun.ResolveAsync(
            [
                "VAULT://secret___app/db|password",
                "VAULT://secret___app/db|password[version=1]",
                "VAULT://secret___/app/db",
                "VAULT://kv1___app/legacy|api_key",
                "VAULT://platform/kv___svc|name",
                "VAULT:///secret/app/db|user",
            ],
            WithToken(),
            autoMtls);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        var values = result.Values.Select(v => v.Value).ToArray();
        Assert.AreEqual(Password2, values[0]);
        Assert.AreEqual(Password1, values[1]);
        // The whole secret is its data object, keys sorted as configmanager's json.Marshal of a map sorts them.
        Assert.AreEqual($$"""{"password":"{{Password2}}","port":5432,"user":"app"}""", values[2]);
        Assert.AreEqual(LegacyKey, values[3]);
        Assert.AreEqual("svc-a", values[4]);
        Assert.AreEqual("app", values[5]);
        Assert.AreEqual(1, launches);

        var requests = s_vault.Requests.Skip(before).ToArray();
        Assert.IsTrue(requests.All(r => r.HadToken && r.Method == "GET" && r.Namespace is null), string.Join("\n", requests.Select(r => r.ToString())));
        CollectionAssert.Contains(requests.Select(r => r.PathAndQuery).ToArray(), "secret/data/app/db?version=1");
        CollectionAssert.Contains(requests.Select(r => r.PathAndQuery).ToArray(), "kv1/app/legacy");
        // Each mount's KV version is asked once per run (the vault CLI's preflight), not once per token.
        Assert.AreEqual(3, requests.Count(r => r.PathAndQuery.StartsWith("sys/internal/ui/mounts/", StringComparison.Ordinal)));
        AssertNoSecretIn(log);
        ProcessTable.AssertNoneRunning(CSharpPlugins.PathOf(CSharpPlugin.Vault));
    }

    [TestMethod]
    public async Task VAULT_KV_VERSION_1_reads_plain_paths_without_asking_for_the_mount_version()
    {
        var before = s_vault.Requests.Count;
        var environment = WithToken();
        environment["VAULT_KV_VERSION"] = "1";
        var (result, _, _) = await VaultPluginRun.ResolveAsync(["VAULT://kv1___app/legacy|api_key"], environment);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(LegacyKey, result.Values[0].Value);
        Assert.AreEqual("kv1/app/legacy", s_vault.Requests.Skip(before).Single().PathAndQuery);
    }

    [TestMethod]
    public async Task AppRole_logs_in_once_and_every_read_carries_the_issued_client_token()
    {
        var logins = s_vault.LoginCount;
        var before = s_vault.Requests.Count;
        var (result, log, _) = await VaultPluginRun.ResolveAsync(
            ["VAULT://secret___app/db|password", "VAULT://kv1___app/legacy|api_key", "VAULT://secret___app/db|user"],
            new Dictionary<string, string?> { ["VAULT_ADDR"] = s_vault.Address.ToString(), ["VAULT_ROLE_ID"] = RoleId, ["VAULT_SECRET_ID"] = SecretId });

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Password2, result.Values[0].Value);
        Assert.AreEqual(LegacyKey, result.Values[1].Value);
        Assert.AreEqual(1, s_vault.LoginCount - logins, "one login for the whole run");
        var requests = s_vault.Requests.Skip(before).ToArray();
        Assert.AreEqual("auth/approle/login", requests[0].PathAndQuery);
        Assert.IsTrue(requests.Skip(1).All(r => r.HadToken), string.Join("\n", requests.Select(r => r.ToString())));
        Assert.IsFalse(log.Any(line => line.Contains("hvs.", StringComparison.Ordinal)), "a client token reached the log");
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task VAULT_NAMESPACE_is_sent_and_scopes_the_mounts()
    {
        var environment = WithToken();
        environment["VAULT_NAMESPACE"] = "team-a/";
        var (result, _, _) = await VaultPluginRun.ResolveAsync(["VAULT://secret___app/db|password"], environment);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(NamespacedPassword, result.Values[0].Value);
        Assert.AreEqual("team-a", s_vault.Requests.Last().Namespace);
    }

    [TestMethod]
    public async Task HTTPS_with_the_CA_from_VAULT_CACERT_and_a_clear_error_without_it()
    {
        using var ca = TestCertificateAuthority.Create();
        var caFile = ca.CaCertificatePath;
        await using var https = await VaultServer.StartAsync(ca.ServerCertificate);
        Seed(https);

        var trusted = WithToken(address: https.Address.ToString());
        trusted["VAULT_CACERT"] = caFile;
        var (ok, _, _) = await VaultPluginRun.ResolveAsync(["VAULT://secret___app/db|password"], trusted);
        Assert.IsTrue(ok.Succeeded, string.Join("\n", ok.Diagnostics));
        Assert.AreEqual(Password2, ok.Values[0].Value);

        var (refused, log, _) = await VaultPluginRun.ResolveAsync(["VAULT://secret___app/db|password"], WithToken(address: https.Address.ToString()));
        var text = string.Join("\n", refused.Diagnostics);
        StringAssert.Contains(text, "CM2317: cannot reach Vault at " + https.Address.ToString().TrimEnd('/') + " (GET /v1/sys/internal/ui/mounts/secret): The SSL connection could not be established");
        StringAssert.Contains(text, "set VAULT_CACERT (or VAULT_CAPATH) to its CA");
        AssertNoSecretIn([.. log, text]);
    }

    [TestMethod]
    [DataRow("VAULT://secret___app/other|password", NarrowToken,
        "CM2315: VAULT token 'secret___app/other': Vault denied the read (GET {addr}/v1/secret/data/app/other: 1 error occurred:",
        "Give the token (VAULT_TOKEN) a policy with path \"secret/data/app/other\" { capabilities = [\"read\"] }; if it lives in a Vault Enterprise/HCP namespace, set VAULT_NAMESPACE",
        DisplayName = "403 names the policy path")]
    [DataRow("VAULT://secret___app/missing", RootToken,
        "CM2316: VAULT token 'secret___app/missing': no secret at GET {addr}/v1/secret/data/app/missing: check the mount (secret), the path and the version",
        "set VAULT_NAMESPACE", DisplayName = "404 missing secret")]
    [DataRow("VAULT://secret___app/db[version=9]", RootToken,
        "CM2316: VAULT token 'secret___app/db': no secret version 9 at GET {addr}/v1/secret/data/app/db?version=9", "the version",
        DisplayName = "404 missing version")]
    [DataRow("VAULT://secret___app/rotated", RootToken,
        "CM2316: VAULT token 'secret___app/rotated': the current version is deleted (at ", "undelete it (vault kv undelete -versions=N) or ask for another [version=N]",
        DisplayName = "soft-deleted version")]
    [DataRow("VAULT://secret___app/burnt[version=1]", RootToken,
        "CM2316: VAULT token 'secret___app/burnt': version 1 is destroyed", "ask for another [version=N]", DisplayName = "destroyed version")]
    [DataRow("VAULT://kv1___app/legacy[version=2]", RootToken,
        "CM2313: VAULT token 'kv1___app/legacy': [version=2] needs a KV v2 mount, and kv1 is KV v1", "VAULT_KV_VERSION=2", DisplayName = "version on KV v1")]
    [DataRow("VAULT://secret___app/db[version=two]", RootToken,
        "CM2313: VAULT token 'secret___app/db': [version=two] must be a positive whole number", "KV v2 version", DisplayName = "bad version")]
    [DataRow("VAULT://secret___app/db[colour=red]", RootToken,
        "CM2313: VAULT token 'secret___app/db': unknown metadata key 'colour'", "known: version, iam_role", DisplayName = "unknown metadata")]
    [DataRow("VAULT://secret", RootToken,
        "CM2313: VAULT token 'secret' must name a mount and a secret", "VAULT://mount___path/to/secret", DisplayName = "no path")]
    [DataRow("VAULT://nosuchmount___x", RootToken,
        "CM2316: VAULT token 'nosuchmount___x': no secret at GET {addr}/v1/nosuchmount/data/x", "check the mount (nosuchmount)", DisplayName = "unknown mount")]
    public async Task Store_errors_name_the_token_and_say_what_to_do(string token, string vaultToken, string expected, string remedy)
    {
        var (result, log, _) = await VaultPluginRun.ResolveAsync([token], WithToken(vaultToken));

        Assert.IsFalse(result.Succeeded);
        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, expected.Replace("{addr}", s_vault.Address.ToString().TrimEnd('/'), StringComparison.Ordinal));
        StringAssert.Contains(text, remedy);
        AssertNoSecretIn([.. log, text]);
    }

    [TestMethod]
    [DataRow(503, "Vault is sealed", 1, "CM2317: VAULT token 'secret___app/db': Vault at {addr} is sealed: unseal it (vault operator unseal) and run again", DisplayName = "sealed: not retried")]
    [DataRow(429, "request path \"secret/data/app/db\": rate limit quota exceeded", 5, "CM2317: VAULT token 'secret___app/db': Vault throttled the read (GET {addr}/v1/secret/data/app/db: request path \"secret/data/app/db\": rate limit quota exceeded) (gave up after 5 attempts over ", DisplayName = "429 beyond the bound")]
    [DataRow(500, "internal error", 5, "CM2317: VAULT token 'secret___app/db': Vault is unavailable (GET {addr}/v1/secret/data/app/db: internal error) (gave up after 5 attempts over ", DisplayName = "500 beyond the bound")]
    public async Task Unavailable_Vault_errors_say_so(int status, string vaultError, int attempts, string expected)
    {
        // VAULT_KV_VERSION skips the mount preflight, so every fault hits a read.
        var environment = WithToken();
        environment["VAULT_KV_VERSION"] = "2";
        var before = s_vault.Requests.Count;
        s_vault.EnqueueFaults(6, status, vaultError, status == 429 ? "0" : null);
        try
        {
            var (result, log, _) = await VaultPluginRun.ResolveAsync(["VAULT://secret___app/db|password"], environment);

            var text = string.Join("\n", result.Diagnostics);
            StringAssert.Contains(text, expected.Replace("{addr}", s_vault.Address.ToString().TrimEnd('/'), StringComparison.Ordinal));
            StringAssert.Contains(text, status == 429 ? "Retry later or raise the rate-limit quota" : status == 500 ? "Retry later" : "unseal");
            Assert.AreEqual(attempts, s_vault.Requests.Count - before, "reads made");
            AssertNoSecretIn([.. log, text]);
        }
        finally
        {
            s_vault.ClearFaults();
        }
    }

    [TestMethod]
    [DataRow(429, "rate limit quota exceeded", DisplayName = "429")]
    [DataRow(503, "Vault is in standby mode and could not forward the request", DisplayName = "503 standby")]
    public async Task Throttled_and_unavailable_reads_are_retried_then_succeed(int status, string vaultError)
    {
        var environment = WithToken();
        environment["VAULT_KV_VERSION"] = "2";
        var before = s_vault.Requests.Count;
        s_vault.EnqueueFaults(2, status, vaultError, status == 429 ? "0" : null);
        var (result, log, _) = await VaultPluginRun.ResolveAsync(["VAULT://secret___app/db|password"], environment);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Password2, result.Values[0].Value);
        Assert.AreEqual(3, s_vault.Requests.Count - before, "two faults, then the value");
        AssertNoSecretIn(log);
    }

    [TestMethod]
    [DataRow("VAULT_ADDR", "ftp://vault", "CM2310: VAULT_ADDR 'ftp://vault' is not an http:// or https:// URL", DisplayName = "bad VAULT_ADDR")]
    [DataRow("VAULT_KV_VERSION", "3", "CM2310: VAULT_KV_VERSION '3' must be 1 or 2", DisplayName = "bad VAULT_KV_VERSION")]
    [DataRow("VAULT_TOKEN", "aws_iam", "CM2310: VAULT_TOKEN=aws_iam needs a Vault role: add [iam_role=NAME] to the token (configmanager's form) or set VAULT_AWS_ROLE", DisplayName = "aws_iam without a role")]
    [DataRow("VAULT_SECRET_ID", "wrong-secret-id", "CM2314: AppRole login at {addr}/v1/auth/approle/login failed: invalid role or secret ID. check VAULT_ROLE_ID and VAULT_SECRET_ID", DisplayName = "AppRole refused")]
    [DataRow("VAULT_TOKEN", null, "CM2311: no Vault credentials: set VAULT_TOKEN (or write ~/.vault-token", DisplayName = "no credentials")]
    public async Task Setting_errors_name_the_variable(string variable, string? value, string expected)
    {
        var environment = new Dictionary<string, string?> { ["VAULT_ADDR"] = s_vault.Address.ToString() };
        if (variable == "VAULT_SECRET_ID")
        {
            environment["VAULT_ROLE_ID"] = RoleId;
        }

        environment[variable] = value;
        var (result, log, _) = await VaultPluginRun.ResolveAsync(["VAULT://secret___app/db|password"], environment);

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, expected.Replace("{addr}", s_vault.Address.ToString().TrimEnd('/'), StringComparison.Ordinal));
        Assert.DoesNotContain("wrong-secret-id", text);
        AssertNoSecretIn([.. log, text]);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_reads_a_secret_with_the_token_from_the_vault_token_file(bool autoMtls)
    {
        var home = Directory.CreateTempSubdirectory("cmvault-home-").FullName;
        await File.WriteAllTextAsync(Path.Combine(home, ".vault-token"), RootToken + "\n");
        var plugin = CSharpPlugins.PathOf(CSharpPlugin.Vault);

        ProcessTable.EnsureMarked();
        var (code, stdout, stderr) = await ChildProcess.RunAsync(
            GoBuild.Require().GoHost,
            ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", "secret___app/db"],
            TimeSpan.FromSeconds(60),
            [("HOME", home), ("VAULT_ADDR", s_vault.Address.ToString()), ("VAULT_TOKEN", null), ("VAULT_ROLE_ID", null), ("VAULT_NAMESPACE", null)]);

        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual($$"""{"password":"{{Password2}}","port":5432,"user":"app"}""" + "\n", stdout);
        Assert.DoesNotContain(RootToken, stderr);
        ProcessTable.AssertNoneRunning(plugin);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_sees_the_plugins_error_text(bool autoMtls)
    {
        var plugin = CSharpPlugins.PathOf(CSharpPlugin.Vault);
        ProcessTable.EnsureMarked();
        var (code, _, stderr) = await ChildProcess.RunAsync(
            GoBuild.Require().GoHost,
            ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", "secret___app/other"],
            TimeSpan.FromSeconds(60),
            [("VAULT_ADDR", s_vault.Address.ToString()), ("VAULT_TOKEN", NarrowToken), ("VAULT_ROLE_ID", null), ("VAULT_NAMESPACE", null)]);

        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "CM2315: VAULT token 'secret___app/other': Vault denied the read");
        Assert.DoesNotContain(NarrowToken, stderr);
        ProcessTable.AssertNoneRunning(plugin);
    }

    private static void AssertNoSecretIn(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            foreach (var secret in s_secrets)
            {
                Assert.DoesNotContain(secret, line, "a secret or credential reached an output");
            }
        }
    }
}
