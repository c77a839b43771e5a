using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Gcp;
using static ConfigManager.StorePlugins.Tests.Gcp.GcpStandIns;

namespace ConfigManager.StorePlugins.Tests.Gcp;

/// <summary>
/// plugins/GcpSecrets (NativeAOT, a real process under Core's PluginHost or go-plugin's gohost) against the Secret
/// Manager stand-in over HTTPS: latest and numbered versions, the service-account JWT-bearer grant (signature checked)
/// once per run, the metadata server, CRC32C checks, retries of 429/503 through StoreCall, every error text, no
/// connection to any other host.
/// </summary>
[TestClass]
public sealed class GcpPluginTests
{
    private const string DbV1 = """{"user":"app","password":"gcp-s3cret-v1"}""";
    private const string DbV2 = """{"user":"app","password":"gcp-s3cret-v2"}""";
    private const string ApiKey1 = "gcp-api-key-one";
    private const string ApiKey2 = "gcp-api-key-two";
    private const string Other = "gcp-other-value";

    private static readonly string[] s_secrets = ["gcp-s3cret-v1", "gcp-s3cret-v2", ApiKey1, ApiKey2, Other, "ya29.", "PRIVATE KEY"];
    private static GcpStandIns s_gcp = null!;

    private static SecretManagerServer Server => s_gcp.Secrets;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.GcpSecrets);
        s_gcp = await GcpStandIns.StartAsync();
        Server.AddVersion(Project, "db", DbV1);
        Server.AddVersion(Project, "db", DbV2);
        Server.AddVersion(Project, "api-key", ApiKey1);
        Server.AddVersion(Project, "api-key", ApiKey2);
        Server.AddVersion(Project, "retired", "gcp-retired-value", state: "DISABLED");
        Server.AddVersion(Project, "other", Other);
        Server.Grant(ServiceAccountEmail, $"projects/{Project}/secrets/db", $"projects/{Project}/secrets/api-key", $"projects/{Project}/secrets/retired",
            $"projects/{Project}/secrets/missing");
        Server.Grant(MetadataPrincipal, "*");
        await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync() => await s_gcp.DisposeAsync();

    [TestMethod]
    [DataRow(true, DisplayName = "AutoMTLS")]
    [DataRow(false, DisplayName = "plain")]
    public async Task Latest_and_numbered_versions_resolve_with_one_signed_token_grant(bool autoMtls)
    {
        var grants = Server.TokenGrants;
        var before = Server.Http.Requests.Count;
        var (result, log, launches) = await ResolveAsync(
            [
                $"GCPSECRETS:///projects/{Project}/secrets/db|password",
                $"GCPSECRETS:///projects/{Project}/secrets/db|password[version=1]",
                $"GCPSECRETS:///projects/{Project}/secrets/api-key/versions/1",
                $"GCPSECRETS://projects/{Project}/secrets/api-key[version=latest]",
                $"GCPSECRETS:///projects/{Project}/secrets/db",
            ],
            s_gcp.BaseEnvironment(),
            autoMtls);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(string.Join(" | ", "gcp-s3cret-v2", "gcp-s3cret-v1", ApiKey1, ApiKey2, DbV2), string.Join(" | ", result.Values.Select(v => v.Value)));
        Assert.AreEqual(1, launches);
        Assert.AreEqual(1, Server.TokenGrants - grants, "one access token for the whole run");
        var accesses = Server.Http.Requests.Skip(before).Where(r => r.PathAndQuery.EndsWith(":access", StringComparison.Ordinal)).ToArray();
        CollectionAssert.IsSubsetOf(
            new[] { $"/v1/projects/{Project}/secrets/db/versions/latest:access", $"/v1/projects/{Project}/secrets/db/versions/1:access", $"/v1/projects/{Project}/secrets/api-key/versions/1:access" },
            accesses.Select(r => r.PathAndQuery).ToArray());
        Assert.IsTrue(accesses.All(r => r.Header("authorization")?.StartsWith("Bearer ya29.test-", StringComparison.Ordinal) == true));
        AssertClean(log);
        ProcessTable.AssertNoneRunning(CSharpPlugins.PathOf(CSharpPlugin.GcpSecrets));
    }

    [TestMethod]
    public async Task The_metadata_server_gives_the_token_when_no_credentials_file_is_set()
    {
        var before = s_gcp.Metadata.Http.Requests.Count;
        var environment = s_gcp.BaseEnvironment();
        environment["GOOGLE_APPLICATION_CREDENTIALS"] = null;
        environment["NO_GCE_CHECK"] = null;
        environment["GCE_METADATA_HOST"] = s_gcp.Metadata.Host;
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/other", $"GCPSECRETS:///projects/{Project}/secrets/api-key"], environment);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Other, result.Values[0].Value);
        var asked = s_gcp.Metadata.Http.Requests.Skip(before).ToArray();
        Assert.AreEqual(1, asked.Length, "one metadata token request per run");
        Assert.AreEqual("Google", asked[0].Header("metadata-flavor"));
        Assert.AreEqual("/computeMetadata/v1/instance/service-accounts/default/token", asked[0].PathAndQuery);
        AssertClean(log);
    }

    [TestMethod]
    [DataRow("other", "",
        "CM2325: GCPSECRETS token 'projects/cm-test-project/secrets/other/versions/latest': Secret Manager denied access (HTTP 403 PERMISSION_DENIED: Permission 'secretmanager.versions.access' denied",
        "Grant service account builder@cm-test-project.iam.gserviceaccount.com roles/secretmanager.secretAccessor on projects/cm-test-project/secrets/other (or its project), e.g. gcloud secrets add-iam-policy-binding other --project cm-test-project",
        DisplayName = "403 names the role")]
    [DataRow("missing", "",
        "CM2326: GCPSECRETS token 'projects/cm-test-project/secrets/missing/versions/latest': no such secret or version (HTTP 404 NOT_FOUND: Secret [projects/cm-test-project/secrets/missing] not found or has no versions.)",
        "Check the project, the secret name and the version", DisplayName = "404 secret")]
    [DataRow("db", "[version=7]",
        "CM2326: GCPSECRETS token 'projects/cm-test-project/secrets/db/versions/7': no such secret or version (HTTP 404 NOT_FOUND: Secret Version [projects/cm-test-project/secrets/db/versions/7] not found.)",
        "Check the project", DisplayName = "404 version")]
    [DataRow("retired", "",
        "CM2326: GCPSECRETS token 'projects/cm-test-project/secrets/retired/versions/latest': the version is not enabled (HTTP 400 FAILED_PRECONDITION: Secret Version [projects/cm-test-project/secrets/retired/versions/1] is in DISABLED state.)",
        "Enable it or ask for another [version=N]", DisplayName = "disabled version")]
    [DataRow("db", "[version=0]", "CM2323: GCPSECRETS token '/projects/cm-test-project/secrets/db': version '0' must be a positive whole number or latest", "latest", DisplayName = "bad version")]
    [DataRow("db", "[stage=AWSCURRENT]", "CM2323: GCPSECRETS token '/projects/cm-test-project/secrets/db': unknown metadata key 'stage'", "(known: version)", DisplayName = "unknown metadata")]
    [DataRow("db/extra", "", "CM2323: GCPSECRETS token '/projects/cm-test-project/secrets/db/extra' must be projects/<project>/secrets/<secret>", "e.g. GCPSECRETS:///projects/my-project/secrets/db-password", DisplayName = "bad path")]
    public async Task Store_errors_name_the_token_and_say_what_to_do(string secret, string metadata, string expected, string remedy)
    {
        var before = Server.Http.Requests.Count;
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/{secret}{metadata}"], s_gcp.BaseEnvironment());

        Assert.IsFalse(result.Succeeded);
        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, expected);
        StringAssert.Contains(text, remedy);
        Assert.AreEqual(expected.StartsWith("CM2323", StringComparison.Ordinal) ? 0 : 1,
            Server.Http.Requests.Skip(before).Count(r => r.PathAndQuery.EndsWith(":access", StringComparison.Ordinal)), "errors another attempt cannot fix are not retried");
        AssertClean([.. log, text]);
    }

    [TestMethod]
    public async Task A_corrupted_payload_is_read_again_and_a_persistent_mismatch_fails_clearly()
    {
        var before = Server.Http.Requests.Count;
        Server.CorruptChecksums = 1;
        var (ok, _, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/api-key"], s_gcp.BaseEnvironment());
        Assert.IsTrue(ok.Succeeded, string.Join("\n", ok.Diagnostics));
        Assert.AreEqual(ApiKey2, ok.Values[0].Value);
        Assert.AreEqual(2, Server.Http.Requests.Skip(before).Count(r => r.PathAndQuery.EndsWith(":access", StringComparison.Ordinal)));

        Server.CorruptChecksums = 100;
        try
        {
            var (bad, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/api-key"], s_gcp.BaseEnvironment());
            var text = string.Join("\n", bad.Diagnostics);
            StringAssert.Contains(text, "CM2328: GCPSECRETS token 'projects/cm-test-project/secrets/api-key/versions/latest': the payload's CRC32C (");
            StringAssert.Contains(text, "does not match the server's dataCrc32c (");
            StringAssert.Contains(text, "(gave up after 5 attempts over ");
            StringAssert.Contains(text, "check proxies between this machine and Secret Manager");
            AssertClean([.. log, text]);
        }
        finally
        {
            Server.CorruptChecksums = 0;
        }
    }

    [TestMethod]
    [DataRow(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Access requests' and limit 'Access requests per minute'.", DisplayName = "429")]
    [DataRow(503, "UNAVAILABLE", "The service is currently unavailable.", DisplayName = "503")]
    public async Task Throttled_and_unavailable_replies_are_retried_then_succeed(int status, string state, string message)
    {
        var before = Server.Http.Requests.Count;
        Server.Http.InjectFaults(AccessFault(status, state, message), 2);
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/api-key[version=1]"], s_gcp.BaseEnvironment());

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(ApiKey1, result.Values[0].Value);
        Assert.AreEqual(3, Server.Http.Requests.Skip(before).Count(r => r.PathAndQuery.EndsWith(":access", StringComparison.Ordinal)), "two faults, then the value");
        AssertClean(log);
    }

    [TestMethod]
    public async Task Retries_are_bounded_and_the_last_failure_says_what_to_do()
    {
        var before = Server.Http.Requests.Count;
        Server.Http.InjectFaults(AccessFault(503, "UNAVAILABLE", "The service is currently unavailable."), 5);
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/api-key"], s_gcp.BaseEnvironment());

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, "CM2327: GCPSECRETS token 'projects/cm-test-project/secrets/api-key/versions/latest': Secret Manager is unavailable (HTTP 503 UNAVAILABLE: The service is currently unavailable.) (gave up after 5 attempts over ");
        StringAssert.Contains(text, "Retry later");
        Assert.AreEqual(5, Server.Http.Requests.Skip(before).Count(r => r.PathAndQuery.EndsWith(":access", StringComparison.Ordinal)));
        AssertClean([.. log, text]);
    }

    [TestMethod]
    [DataRow("NO_GCE_CHECK", "CM2321: no Google credentials: GOOGLE_APPLICATION_CREDENTIALS is not set and NO_GCE_CHECK=true turned the metadata server off", DisplayName = "metadata server off")]
    [DataRow("GCE_METADATA_HOST", "CM2321: no Google credentials: GOOGLE_APPLICATION_CREDENTIALS is not set and the metadata server 127.0.0.1:", DisplayName = "metadata server unreachable")]
    public async Task No_credentials_says_what_was_tried(string variable, string expected)
    {
        var environment = s_gcp.BaseEnvironment();
        environment["GOOGLE_APPLICATION_CREDENTIALS"] = null;
        if (variable == "GCE_METADATA_HOST")
        {
            environment["NO_GCE_CHECK"] = null;
            environment["GCE_METADATA_HOST"] = $"127.0.0.1:{ClosedPort()}";
        }

        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/api-key"], environment);

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, expected);
        StringAssert.Contains(text, "Set GOOGLE_APPLICATION_CREDENTIALS to a service-account key, gcloud user credentials or a workload identity federation file");
        AssertClean([.. log, text]);
    }

    [TestMethod]
    public async Task A_key_the_token_endpoint_does_not_know_is_refused_with_its_answer()
    {
        using var stranger = GcpServiceAccount.Create("stranger@cm-test-project.iam.gserviceaccount.com", Server.TokenUri);
        var grants = Server.TokenGrants;
        var (result, log, _) = await ResolveAsync([$"GCPSECRETS:///projects/{Project}/secrets/api-key"], s_gcp.BaseEnvironment(stranger.KeyFile));

        var text = string.Join("\n", result.Diagnostics);
        StringAssert.Contains(text, $"CM2324: getting a Google access token from the token endpoint {Server.TokenUri} (service account stranger@cm-test-project.iam.gserviceaccount.com) failed: HTTP 400 Invalid JWT Signature.");
        StringAssert.Contains(text, "Check that the key is current (not deleted or disabled) and the account exists");
        Assert.AreEqual(grants, Server.TokenGrants);
        AssertClean([.. log, text]);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Gohost_reads_a_secret_and_sees_the_plugins_error_text(bool autoMtls)
    {
        var plugin = await CSharpPlugins.PublishAsync(CSharpPlugin.GcpSecrets);
        ProcessTable.EnsureMarked();
        var (code, stdout, stderr) = await ChildProcess.RunAsync(
            GoBuild.Require().GoHost,
            ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", $"projects/{Project}/secrets/api-key", "-metadata", "version=1"],
            TimeSpan.FromSeconds(60),
            s_gcp.ChildEnvironment());
        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual(ApiKey1 + "\n", stdout);

        var (failed, _, refused) = await ChildProcess.RunAsync(
            GoBuild.Require().GoHost,
            ["-plugin", plugin, autoMtls ? "-mtls" : "-mtls=false", "-token", $"projects/{Project}/secrets/other"],
            TimeSpan.FromSeconds(60),
            s_gcp.ChildEnvironment());
        Assert.AreEqual(1, failed);
        StringAssert.Contains(refused, "CM2325: GCPSECRETS token 'projects/cm-test-project/secrets/other/versions/latest': Secret Manager denied access");
        AssertClean([stderr, refused]);
        ProcessTable.AssertNoneRunning(plugin);
    }

    private static InjectedFault AccessFault(int status, string state, string message) => new(
        status,
        SecretManagerServer.ErrorBody(status, state, message),
        new Dictionary<string, string> { ["Retry-After"] = "0" },
        When: request => request.PathAndQuery.EndsWith(":access", StringComparison.Ordinal));

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>No secret or credential in any output, and no connection attempted to any host but the local servers.</summary>
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
