using System.Security.Cryptography;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Vault;

namespace ConfigManager.StorePlugins.Tests.Vault;

/// <summary>
/// The VAULT plugin's logins besides AppRole, against the stand-in's login endpoints: Kubernetes (the pod's
/// service-account token file), JWT/OIDC (a CI's ID token, signature and audience checked) and AWS IAM (a SigV4-signed
/// GetCallerIdentity whose signature the stand-in recomputes). One login per run; the
/// issued client token is carried by every read and never printed; a throttled login is retried.
/// </summary>
[TestClass]
public sealed class VaultLoginTests
{
    private const string Password = "vault-login-s3cret";
    private const string ServiceAccountJwt = "eyJhbGciOiJSUzI1NiJ9.k8s-service-account.sig";
    private const string Audience = "https://vault.example.test";

    private const string AccessKey = "AKIAVAULTLOGINTEST01";
    private const string SecretKey = "aws-secret-key-for-vault-login";
    private const string SessionToken = "aws-session-token-for-vault-login";

    private static VaultServer s_vault = null!;
    private static ProxyTrap s_trap = null!;
    private static RSA s_issuer = null!;
    private static string s_directory = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.Vault);
        s_vault = await VaultServer.StartAsync();
        s_trap = ProxyTrap.Start();
        s_issuer = RSA.Create(2048);
        s_directory = Directory.CreateTempSubdirectory("cmvault-login-").FullName;
        s_vault.Mount("secret", 2);
        s_vault.Put("secret", "ci/app", new { password = Password });
        s_vault.AddKubernetesRole("app", ServiceAccountJwt, "secret/data/ci/");
        s_vault.AddJwtRole("ci", s_issuer, Audience, "secret/data/ci/");
        s_vault.AddAwsIamRole("builder", new VaultAwsIamLogin(AccessKey, SecretKey, SessionToken, "vault.example.test", new VaultPolicy(["secret/data/ci/"])));
        await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await s_vault.DisposeAsync();
        await s_trap.DisposeAsync();
        s_issuer.Dispose();
        Directory.Delete(s_directory, recursive: true);
    }

    [TestMethod]
    public async Task Kubernetes_login_reads_the_service_account_token_file_once_per_run()
    {
        var tokenFile = Path.Combine(s_directory, "k8s-token");
        await File.WriteAllTextAsync(tokenFile, ServiceAccountJwt + "\n");
        var (result, log, requests) = await RunAsync(new() { ["VAULT_K8S_ROLE"] = "app", ["VAULT_K8S_TOKEN_FILE"] = tokenFile });

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Password, result.Values[0].Value);
        Assert.AreEqual(1, requests.Count(r => r.PathAndQuery == "auth/kubernetes/login"), "one login for the whole run");
        Assert.IsTrue(requests.Where(r => !r.PathAndQuery.StartsWith("auth/", StringComparison.Ordinal)).All(r => r.HadToken));
        AssertNoSecretIn(log, ServiceAccountJwt);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "VAULT_JWT_FILE")]
    [DataRow(false, DisplayName = "VAULT_JWT")]
    public async Task JWT_login_with_a_CI_ID_token_reads_once_per_run(bool fromFile)
    {
        var jwt = VaultServer.SignJwt(s_issuer, Audience, "repo:org/app:ref:refs/heads/main", TimeSpan.FromMinutes(5));
        var environment = new Dictionary<string, string?> { ["VAULT_JWT_ROLE"] = "ci" };
        if (fromFile)
        {
            var file = Path.Combine(s_directory, "ci-id-token");
            await File.WriteAllTextAsync(file, jwt);
            environment["VAULT_JWT_FILE"] = file;
        }
        else
        {
            environment["VAULT_JWT"] = jwt;
        }

        var (result, log, requests) = await RunAsync(environment);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Password, result.Values[0].Value);
        Assert.AreEqual(1, requests.Count(r => r.PathAndQuery == "auth/jwt/login"));
        AssertNoSecretIn(log, jwt);
    }

    [TestMethod]
    [DataRow("audience", "error validating claims: claim \"aud\" is invalid", DisplayName = "wrong audience")]
    [DataRow("expired", "error validating claims: token is expired", DisplayName = "expired")]
    [DataRow("signer", "error validating token: failed to verify id token signature", DisplayName = "unknown signer")]
    public async Task A_refused_JWT_login_says_what_the_role_checks(string problem, string vaultError)
    {
        using var stranger = RSA.Create(2048);
        var jwt = problem switch
        {
            "audience" => VaultServer.SignJwt(s_issuer, "https://elsewhere.test", "repo:org/app", TimeSpan.FromMinutes(5)),
            "expired" => VaultServer.SignJwt(s_issuer, Audience, "repo:org/app", TimeSpan.FromMinutes(-5)),
            _ => VaultServer.SignJwt(stranger, Audience, "repo:org/app", TimeSpan.FromMinutes(5)),
        };
        var (result, log, _) = await RunAsync(new() { ["VAULT_JWT_ROLE"] = "ci", ["VAULT_JWT"] = jwt });

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, $"CM2314: JWT login at {s_vault.Address.ToString().TrimEnd('/')}/v1/auth/jwt/login failed: {vaultError}. check that role 'ci' at auth/jwt accepts this token (bound_audiences, bound_claims, bound_subject)");
        AssertNoSecretIn([.. log, text], jwt);
    }

    [TestMethod]
    [DataRow("VAULT_K8S_TOKEN_FILE", "CM2310: Kubernetes login: cannot read the token file", DisplayName = "no Kubernetes token file")]
    [DataRow("VAULT_JWT_ROLE", "CM2310: VAULT_JWT_ROLE is set but neither VAULT_JWT nor VAULT_JWT_FILE gives the JWT", DisplayName = "JWT role without a JWT")]
    [DataRow("VAULT_K8S_ROLE", "CM2314: Kubernetes login at {addr}/v1/auth/kubernetes/login failed: invalid role name \"nobody\". check that role 'nobody' at auth/kubernetes binds this pod's service account", DisplayName = "unknown Kubernetes role")]
    public async Task Login_setting_errors_name_the_variable(string variable, string expected)
    {
        var tokenFile = Path.Combine(s_directory, "k8s-token-2");
        await File.WriteAllTextAsync(tokenFile, ServiceAccountJwt);
        Dictionary<string, string?> environment = variable switch
        {
            "VAULT_K8S_TOKEN_FILE" => new() { ["VAULT_K8S_ROLE"] = "app", ["VAULT_K8S_TOKEN_FILE"] = Path.Combine(s_directory, "absent") },
            "VAULT_JWT_ROLE" => new() { ["VAULT_JWT_ROLE"] = "ci" },
            _ => new() { ["VAULT_K8S_ROLE"] = "nobody", ["VAULT_K8S_TOKEN_FILE"] = tokenFile },
        };
        var (result, log, _) = await RunAsync(environment);

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, expected.Replace("{addr}", s_vault.Address.ToString().TrimEnd('/'), StringComparison.Ordinal));
        AssertNoSecretIn([.. log, text], ServiceAccountJwt);
    }

    [TestMethod]
    [DataRow("[iam_role=builder]", null, DisplayName = "role from the token (configmanager)")]
    [DataRow("", "builder", DisplayName = "role from VAULT_AWS_ROLE")]
    public async Task AWS_IAM_login_carries_a_SigV4_signed_GetCallerIdentity(string metadata, string? roleVariable)
    {
        var before = s_vault.Requests.Count;
        var (result, log, _) = await VaultPluginRun.ResolveAsync(
            [$"VAULT://secret___ci/app|password{metadata}", $"VAULT://secret___ci/app{metadata}"],
            new Dictionary<string, string?>(s_trap.Environment.Select(v => KeyValuePair.Create(v.Name, v.Value)))
            {
                ["VAULT_ADDR"] = s_vault.Address.ToString(),
                ["VAULT_KV_VERSION"] = "2",
                ["VAULT_TOKEN"] = "aws_iam",
                ["VAULT_AWS_ROLE"] = roleVariable,
                ["VAULT_AWS_HEADER_VALUE"] = "vault.example.test",
                ["AWS_ACCESS_KEY_ID"] = AccessKey,
                ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
                ["AWS_SESSION_TOKEN"] = SessionToken,
            });

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Password, result.Values[0].Value);
        var requests = s_vault.Requests.Skip(before).ToArray();
        Assert.AreEqual(1, requests.Count(r => r.PathAndQuery == "auth/aws/login"), "one login for the run");
        AssertNoSecretIn(log, SecretKey);
        AssertNoSecretIn(log, SessionToken);
    }

    [TestMethod]
    [DataRow("wrong-secret", "vault.example.test", "error making upstream request: received error code 403 from STS: SignatureDoesNotMatch", DisplayName = "bad signature")]
    [DataRow(SecretKey, null, "error validating X-Vault-AWS-IAM-Server-ID header", DisplayName = "no server-ID header")]
    public async Task A_refused_AWS_IAM_login_names_what_to_check(string secretKey, string? serverId, string vaultError)
    {
        var (result, log, _) = await VaultPluginRun.ResolveAsync(
            ["VAULT://secret___ci/app|password[iam_role=builder]"],
            new Dictionary<string, string?>(s_trap.Environment.Select(v => KeyValuePair.Create(v.Name, v.Value)))
            {
                ["VAULT_ADDR"] = s_vault.Address.ToString(),
                ["VAULT_KV_VERSION"] = "2",
                ["VAULT_TOKEN"] = "aws_iam",
                ["VAULT_AWS_HEADER_VALUE"] = serverId,
                ["AWS_ACCESS_KEY_ID"] = AccessKey,
                ["AWS_SECRET_ACCESS_KEY"] = secretKey,
                ["AWS_SESSION_TOKEN"] = SessionToken,
            });

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, $"CM2314: AWS IAM login at {s_vault.Address.ToString().TrimEnd('/')}/v1/auth/aws/login failed: {vaultError}");
        StringAssert.Contains(text, "bound_iam_principal_arn matches these AWS credentials");
        AssertNoSecretIn([.. log, text], secretKey);
        AssertNoSecretIn([.. log, text], SessionToken);
    }

    [TestMethod]
    public async Task A_throttled_login_is_retried_and_the_read_then_succeeds()
    {
        var tokenFile = Path.Combine(s_directory, "k8s-token-3");
        await File.WriteAllTextAsync(tokenFile, ServiceAccountJwt);
        s_vault.EnqueueFaults(2, 429, "rate limit quota exceeded", "0");
        var (result, log, requests) = await RunAsync(new() { ["VAULT_K8S_ROLE"] = "app", ["VAULT_K8S_TOKEN_FILE"] = tokenFile });

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Password, result.Values[0].Value);
        Assert.AreEqual(3, requests.Count(r => r.PathAndQuery == "auth/kubernetes/login"), "two throttled logins, then one that issues the token");
        AssertNoSecretIn(log, ServiceAccountJwt);
    }

    private static async Task<(ConfigManager.Core.TokenValuesResult Result, IReadOnlyCollection<string> Log, VaultRequest[] Requests)> RunAsync(Dictionary<string, string?> environment)
    {
        environment["VAULT_ADDR"] = s_vault.Address.ToString();
        environment["VAULT_KV_VERSION"] = "2";
        foreach (var (name, value) in s_trap.Environment)
        {
            environment[name] = value;
        }

        var before = s_vault.Requests.Count;
        var (result, log, _) = await VaultPluginRun.ResolveAsync(["VAULT://secret___ci/app|password", "VAULT://secret___ci/app"], environment);
        return (result, log, s_vault.Requests.Skip(before).ToArray());
    }

    private static void AssertNoSecretIn(IEnumerable<string> lines, string credential)
    {
        foreach (var line in lines)
        {
            Assert.DoesNotContain(Password, line, "a secret reached an output");
            Assert.DoesNotContain(credential, line, "a login credential reached an output");
            Assert.DoesNotContain("hvs.", line, "a client token reached an output");
        }

        // AWS IAM login signs for STS but never calls it (Vault does): no request may leave for any other host.
        Assert.IsEmpty(s_trap.Attempts, "the plugin tried to reach another host: " + string.Join(" | ", s_trap.Attempts));
    }
}
