using System.Text.Json;
using ConfigManager.TestSupport;
using static ConfigManager.StorePlugins.Tests.Gcp.GcpStandIns;

namespace ConfigManager.StorePlugins.Tests.Gcp;

/// <summary>
/// The other Application Default Credentials files the GCPSECRETS plugin reads from GOOGLE_APPLICATION_CREDENTIALS:
/// gcloud user credentials (refresh-token grant) and workload identity federation (a CI's OIDC token in a file,
/// exchanged at STS, then a service account impersonated), each against the stand-in's token endpoints.
/// </summary>
[TestClass]
public sealed class GcpCredentialTests
{
    private const string Value = "gcp-federated-value";
    private const string ClientSecret = "gcloud-client-secret-123";
    private const string RefreshToken = "1//gcloud-refresh-token-456";
    private const string SubjectToken = "eyJ.ci-oidc-subject-token.789";
    private const string Audience = "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/github";
    private const string Deployer = "deployer@cm-test-project.iam.gserviceaccount.com";
    private const string PoolPrincipal = "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/subject/repo:org/app";

    private static readonly string[] s_secrets = [Value, ClientSecret, RefreshToken, SubjectToken, "ya29."];
    private static GcpStandIns s_gcp = null!;
    private static string s_directory = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.GcpSecrets);
        s_gcp = await GcpStandIns.StartAsync();
        s_directory = Directory.CreateTempSubdirectory("cm-gcp-adc-").FullName;
        s_gcp.Secrets.AddVersion(Project, "app", Value);
        s_gcp.Secrets.AddUser("gcloud-client.apps.googleusercontent.com", ClientSecret, RefreshToken, "dev@example.com");
        s_gcp.Secrets.AddFederatedSubject(Audience, SubjectToken, PoolPrincipal);
        s_gcp.Secrets.AllowImpersonation(PoolPrincipal, Deployer);
        s_gcp.Secrets.Grant("dev@example.com", "*");
        s_gcp.Secrets.Grant(Deployer, $"projects/{Project}/secrets/app");
        await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await s_gcp.DisposeAsync();
        Directory.Delete(s_directory, recursive: true);
    }

    [TestMethod]
    public async Task Gcloud_user_credentials_use_the_refresh_token_grant_once()
    {
        var grants = s_gcp.Secrets.TokenGrants;
        var file = Write("adc-user.json", new
        {
            type = "authorized_user",
            client_id = "gcloud-client.apps.googleusercontent.com",
            client_secret = ClientSecret,
            refresh_token = RefreshToken,
            token_uri = s_gcp.Secrets.TokenUri.ToString(),
        });
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/app", $"GCPSECRETS:///projects/{Project}/secrets/app[version=1]"], s_gcp.BaseEnvironment(file));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Value, result.Values[0].Value);
        Assert.AreEqual(1, s_gcp.Secrets.TokenGrants - grants);
        var grant = s_gcp.Secrets.Http.Requests.Last(r => r.PathAndQuery == "/token");
        StringAssert.Contains(grant.BodyText, "grant_type=refresh_token");
        AssertClean(log);
    }

    [TestMethod]
    public async Task A_revoked_refresh_token_says_to_log_in_again()
    {
        var file = Write("adc-revoked.json", new
        {
            type = "authorized_user",
            client_id = "gcloud-client.apps.googleusercontent.com",
            client_secret = ClientSecret,
            refresh_token = "1//revoked",
            token_uri = s_gcp.Secrets.TokenUri.ToString(),
        });
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/app"], s_gcp.BaseEnvironment(file));

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, $"CM2324: getting a Google access token from the token endpoint {s_gcp.Secrets.TokenUri} (gcloud user credentials) failed: HTTP 400 Token has been expired or revoked.");
        StringAssert.Contains(text, "Run gcloud auth application-default login again");
        AssertClean([.. log, text]);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "impersonating a service account")]
    [DataRow(false, DisplayName = "the pool principal itself")]
    public async Task Workload_identity_federation_exchanges_the_CI_token_from_a_file(bool impersonate)
    {
        var subject = Path.Combine(s_directory, "oidc-token");
        await File.WriteAllTextAsync(subject, SubjectToken + "\n");
        s_gcp.Secrets.Grant(PoolPrincipal, impersonate ? [] : [$"projects/{Project}/secrets/app"]);
        var exchanges = s_gcp.Secrets.Exchanges;
        var file = Write($"wif-{impersonate}.json", new Dictionary<string, object?>
        {
            ["type"] = "external_account",
            ["audience"] = Audience,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["token_url"] = s_gcp.Secrets.StsTokenUri.ToString(),
            ["service_account_impersonation_url"] = impersonate ? s_gcp.Secrets.ImpersonationUri(Deployer).ToString() : null,
            ["credential_source"] = new { file = subject },
        });
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/app", $"GCPSECRETS:///projects/{Project}/secrets/app[version=1]"], s_gcp.BaseEnvironment(file));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Value, result.Values[0].Value);
        Assert.AreEqual(impersonate ? 2 : 1, s_gcp.Secrets.Exchanges - exchanges, "one exchange (and one impersonation) per run");
        AssertClean(log);
    }

    [TestMethod]
    public async Task Workload_identity_federation_fetches_the_CI_token_from_a_url_with_its_headers()
    {
        const string requestToken = "actions-id-token-request-token";
        s_gcp.Secrets.AddIdToken(requestToken, SubjectToken);
        s_gcp.Secrets.Grant(PoolPrincipal, $"projects/{Project}/secrets/app");
        var file = Write("wif-url.json", new
        {
            type = "external_account",
            audience = Audience,
            subject_token_type = "urn:ietf:params:oauth:token-type:jwt",
            token_url = s_gcp.Secrets.StsTokenUri.ToString(),
            credential_source = new
            {
                url = s_gcp.Secrets.IdTokenUri + "?audience=" + Uri.EscapeDataString(Audience),
                headers = new Dictionary<string, string> { ["Authorization"] = "bearer " + requestToken },
                format = new { type = "json", subject_token_field_name = "value" },
            },
        });
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/app"], s_gcp.BaseEnvironment(file));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Value, result.Values[0].Value);
        Assert.IsTrue(s_gcp.Secrets.Http.Requests.Any(r => r.PathAndQuery.StartsWith("/id-token?audience=", StringComparison.Ordinal)));
        AssertClean(log);
        foreach (var line in log)
        {
            Assert.DoesNotContain(requestToken, line);
        }
    }

    [TestMethod]
    public async Task A_federation_file_the_plugin_cannot_use_says_why()
    {
        var file = Write("wif-aws.json", new
        {
            type = "external_account",
            audience = Audience,
            subject_token_type = "urn:ietf:params:aws:token-type:aws4_request",
            token_url = s_gcp.Secrets.StsTokenUri.ToString(),
            credential_source = new { environment_id = "aws1", region_url = "http://169.254.169.254/latest/meta-data/placement/availability-zone" },
        });
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/app"], s_gcp.BaseEnvironment(file));

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, $"CM2322: external account file {file}: credential_source.environment_id 'aws1' is not supported; this plugin reads a subject token from credential_source.file or credential_source.url");
        AssertClean([.. log, text]);
    }

    [TestMethod]
    public async Task A_subject_token_the_pool_rejects_fails_at_STS()
    {
        var subject = Path.Combine(s_directory, "stale-token");
        await File.WriteAllTextAsync(subject, "eyJ.stale");
        var file = Write("wif-stale.json", new
        {
            type = "external_account",
            audience = Audience,
            subject_token_type = "urn:ietf:params:oauth:token-type:jwt",
            token_url = s_gcp.Secrets.StsTokenUri.ToString(),
            credential_source = new { file = subject },
        });
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/app"], s_gcp.BaseEnvironment(file));

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, $"CM2324: getting a Google access token from the security token service {s_gcp.Secrets.StsTokenUri} failed: HTTP 400 The audience or the subject token is invalid.");
        StringAssert.Contains(text, "Check the workload identity pool provider's attribute condition and that the subject token is current");
        AssertClean([.. log, text]);
    }

    private static string Write(string name, object content)
    {
        var path = Path.Combine(s_directory, name);
        File.WriteAllText(path, JsonSerializer.Serialize(content));
        return path;
    }

    private static void AssertClean(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            foreach (var secret in s_secrets)
            {
                Assert.DoesNotContain(secret, line, "a secret or credential reached an output");
            }
        }

        Assert.IsEmpty(s_gcp.Trap.Attempts, "the plugin tried to reach another host: " + string.Join(" | ", s_gcp.Trap.Attempts));
    }
}
