using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// SSO profiles in both AWS plugins (they share AwsShared and AWSSDK.Core's SSO credential provider): an
/// <c>sso_session</c> profile and a legacy <c>sso_start_url</c> profile with a token cached as <c>aws sso login</c> leaves
/// it, a missing or expired token (the text says to run <c>aws sso login --profile NAME</c>, never a token), and an
/// expired sso-session token refreshed through SSO OIDC's <c>CreateToken</c>. The SSO portal and the OIDC service are
/// loopback fakes that check the bearer token, client and refresh token strictly; the store call goes to moto through
/// the counting proxy, and a proxy trap must stay empty.
/// </summary>
[TestClass]
public sealed class AwsSsoCredentialTests
{
    private const string Profile = "sso-dev";
    private const string StartUrl = "https://corp.awsapps.com/start";
    private const string CachedToken = "sso-cached-access-token-not-a-secret-4Kd9";
    private const string RefreshedToken = "sso-refreshed-access-token-not-a-secret-8Wm3";
    private const string RefreshToken = "sso-refresh-token-not-a-secret-2Zt6";
    private const string ClientId = "sso-oidc-client-id-5Rb1";
    private const string ClientSecret = "sso-oidc-client-secret-not-a-secret-9Xc4";
    private const string RoleKeyId = "ASIASSOROLE000000000";
    private const string RoleSecret = "sso-role-secret-not-a-secret";
    private const string SessionToken = "sso-role-session-token-7Qp2";
    private const string ParameterValue = "sso-parameter-value-3Jn8";
    private const string SecretValue = "sso-secret-value-6Lp0";

    private static readonly string[] s_sensitive = [CachedToken, RefreshedToken, RefreshToken, ClientSecret, RoleSecret, SessionToken, ParameterValue, SecretValue];
    private static ParamStoreFixture s_aws = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var secrets = CSharpPlugins.PublishAsync(CSharpPlugin.AwsSecrets);
        s_aws = await ParamStoreFixture.StartAsync(bulk: false);
        using var client = s_aws.Moto.Client();
        await client.PutParameterAsync("/sso/param", ParameterValue, "SecureString");
        await client.CreateSecretAsync("sso/secret", secretString: SecretValue);
        await secrets;
    }

    [ClassCleanup]
    public static async Task StopAsync() => await s_aws.DisposeAsync();

    [TestMethod]
    [DataRow("awsparamstr", false, DisplayName = "AWSPARAMSTR, sso-session profile")]
    [DataRow("awssecrets", false, DisplayName = "AWSSECRETS, sso-session profile")]
    [DataRow("awsparamstr", true, DisplayName = "AWSPARAMSTR, legacy sso_start_url profile")]
    [DataRow("awssecrets", true, DisplayName = "AWSSECRETS, legacy sso_start_url profile")]
    public async Task An_SSO_profile_gets_role_credentials_from_the_portal_with_the_cached_token(string prefix, bool legacy)
    {
        await using var home = await SsoHome.CreateAsync(legacy);
        await home.CacheAsync(CachedToken, DateTime.UtcNow.AddHours(8));
        await using var portal = await Portal.StartAsync(CachedToken);

        var (result, log) = await ResolveAsync(prefix, home, portal.Server);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(ValueFor(prefix), result.Values.Single().Value);
        portal.AssertOneCallFor(CachedToken);
        AssertSignedWithTheRole(prefix);
        AssertClean(log, result);
    }

    [TestMethod]
    [DataRow("awsparamstr", false, false, DisplayName = "AWSPARAMSTR, sso-session, no cached token")]
    [DataRow("awssecrets", false, false, DisplayName = "AWSSECRETS, sso-session, no cached token")]
    [DataRow("awsparamstr", true, false, DisplayName = "AWSPARAMSTR, legacy, no cached token")]
    [DataRow("awssecrets", true, true, DisplayName = "AWSSECRETS, legacy, expired token")]
    [DataRow("awsparamstr", false, true, DisplayName = "AWSPARAMSTR, sso-session, expired token without refresh")]
    public async Task A_missing_or_expired_SSO_token_says_to_run_aws_sso_login(string prefix, bool legacy, bool expired)
    {
        await using var home = await SsoHome.CreateAsync(legacy);
        if (expired)
        {
            await home.CacheAsync(CachedToken, DateTime.UtcNow.AddHours(-1));
        }

        await using var portal = await Portal.StartAsync(CachedToken);

        var (result, log) = await ResolveAsync(prefix, home, portal.Server);

        var error = result.Diagnostics.Single(d => d.Severity == ConfigManager.Core.Diagnostics.DiagnosticSeverity.Error).Message;
        StringAssert.Contains(error, $"CM2229: {prefix.ToUpperInvariant()} token '");
        StringAssert.Contains(error, $"the SSO profile '{Profile}' has no valid token");
        StringAssert.Contains(error, $"Run `aws sso login --profile {Profile}`");
        Assert.IsEmpty(portal.Server.Requests, "no portal call without a valid token");
        Assert.IsFalse(s_aws.Proxy.Requests.Any(request => request.Header("x-amz-target") is "AmazonSSM.GetParameters" or "secretsmanager.GetSecretValue"), "no store call without credentials");
        AssertClean([.. log, error], result);
    }

    [TestMethod]
    [DataRow("awsparamstr", DisplayName = "AWSPARAMSTR")]
    [DataRow("awssecrets", DisplayName = "AWSSECRETS")]
    public async Task An_expired_SSO_session_token_is_refreshed_through_SSO_OIDC(string prefix)
    {
        await using var home = await SsoHome.CreateAsync(legacy: false);
        await home.CacheAsync(CachedToken, DateTime.UtcNow.AddMinutes(-5), refresh: true);
        await using var portal = await Portal.StartAsync(RefreshedToken);
        await using var oidc = await LocalHttpServer.StartAsync(async (request, context) =>
        {
            var body = JsonNode.Parse(request.BodyText)!;
            context.Response.ContentType = "application/json";
            if (request.Method != "POST" || request.PathAndQuery != "/token"
                || (string?)body["grantType"] != "refresh_token" || (string?)body["refreshToken"] != RefreshToken
                || (string?)body["clientId"] != ClientId || (string?)body["clientSecret"] != ClientSecret)
            {
                context.Response.StatusCode = 400;
                context.Response.Headers["x-amzn-ErrorType"] = "InvalidGrantException";
                await context.Response.WriteAsync("""{"error":"invalid_grant","error_description":"refresh token or client rejected"}""");
                return;
            }

            await context.Response.WriteAsync($$"""{"accessToken":"{{RefreshedToken}}","tokenType":"Bearer","expiresIn":28800,"refreshToken":"{{RefreshToken}}-rotated"}""");
        });

        var (result, log) = await ResolveAsync(prefix, home, portal.Server, ("AWS_ENDPOINT_URL_SSO_OIDC", oidc.BaseAddress.ToString().TrimEnd('/')));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(ValueFor(prefix), result.Values.Single().Value);
        Assert.HasCount(1, oidc.Requests, "one CreateToken call");
        portal.AssertOneCallFor(RefreshedToken);
        AssertSignedWithTheRole(prefix);
        var cached = JsonNode.Parse(await File.ReadAllTextAsync(home.CacheFile))!;
        Assert.AreEqual(RefreshedToken, (string?)cached["accessToken"], "the refreshed token is cached for the next run");
        AssertClean(log, result);
    }

    private static string TokenFor(string prefix) => prefix == "awssecrets" ? "AWSSECRETS://sso/secret" : "AWSPARAMSTR:///sso/param";

    private static string ValueFor(string prefix) => prefix == "awssecrets" ? SecretValue : ParameterValue;

    private static async Task<(ConfigManager.Core.TokenValuesResult Result, IReadOnlyCollection<string> Log)> ResolveAsync(
        string prefix, SsoHome home, LocalHttpServer portal, params (string Name, string? Value)[] extra)
    {
        s_aws.Proxy.ClearRequests();
        var plugin = prefix == "awssecrets" ? CSharpPlugin.AwsSecrets : CSharpPlugin.AwsParamStore;
        var run = await AwsPluginRun.ResolveAsync(
            plugin,
            [TokenFor(prefix)],
            s_aws.Environment(
                [
                    ("AWS_ACCESS_KEY_ID", null), ("AWS_SECRET_ACCESS_KEY", null), ("AWS_CONFIG_FILE", home.ConfigFile), ("AWS_PROFILE", Profile),
                    ("HOME", home.Root), ("AWS_ENDPOINT_URL_SSO", portal.BaseAddress.ToString().TrimEnd('/')), .. extra,
                ]));
        return (run.Result, run.Log);
    }

    /// <summary>The store call was signed with the role credentials the portal gave, and carried their session token.</summary>
    private static void AssertSignedWithTheRole(string prefix)
    {
        var target = prefix == "awssecrets" ? "secretsmanager.GetSecretValue" : "AmazonSSM.GetParameters";
        var call = s_aws.Proxy.Requests.Single(request => request.Header("x-amz-target") == target);
        StringAssert.StartsWith(call.Header("authorization") ?? string.Empty, $"AWS4-HMAC-SHA256 Credential={RoleKeyId}/");
        Assert.AreEqual(SessionToken, call.Header("x-amz-security-token"));
    }

    private static void AssertClean(IEnumerable<string> log, ConfigManager.Core.TokenValuesResult result)
    {
        var outputs = log.Concat(result.Diagnostics.Select(d => d.ToString())).ToList();
        foreach (var line in outputs)
        {
            foreach (var sensitive in s_sensitive)
            {
                Assert.DoesNotContain(sensitive, line, "a token, credential or value reached an output");
            }
        }

        Assert.IsEmpty(s_aws.Trap.Attempts, "the plugin tried to leave loopback: " + string.Join(", ", s_aws.Trap.Attempts));
    }

    /// <summary>A HOME with ~/.aws/config holding the SSO profile and ~/.aws/sso/cache for its token, deleted afterwards.</summary>
    private sealed class SsoHome : IAsyncDisposable
    {
        private readonly bool _legacy;

        private SsoHome(string root, bool legacy)
        {
            Root = root;
            _legacy = legacy;
            // The SDKs and the CLI cache an sso-session's token under the SHA-1 of the session name, a legacy profile's under that of its start URL.
            CacheFile = Path.Combine(root, ".aws", "sso", "cache", Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(legacy ? StartUrl : "corp"))) + ".json");
        }

        public string Root { get; }

        public string ConfigFile => Path.Combine(Root, ".aws", "config");

        public string CacheFile { get; }

        public static async Task<SsoHome> CreateAsync(bool legacy)
        {
            var home = new SsoHome(Path.Combine(s_aws.Moto.Directory, "sso-home-" + Guid.NewGuid().ToString("N")[..8]), legacy);
            Directory.CreateDirectory(Path.GetDirectoryName(home.CacheFile)!);
            await File.WriteAllTextAsync(home.ConfigFile, legacy
                ? $"""
                    [profile {Profile}]
                    sso_start_url = {StartUrl}
                    sso_region = us-east-1
                    sso_account_id = 123456789012
                    sso_role_name = Deploy
                    region = us-east-1
                    """
                : $"""
                    [profile {Profile}]
                    sso_session = corp
                    sso_account_id = 123456789012
                    sso_role_name = Deploy
                    region = us-east-1

                    [sso-session corp]
                    sso_start_url = {StartUrl}
                    sso_region = us-east-1
                    sso_registration_scopes = sso:account:access
                    """);
            return home;
        }

        /// <summary>Writes the token file as <c>aws sso login</c> does (with the OIDC client registration when <paramref name="refresh"/>).</summary>
        public Task CacheAsync(string accessToken, DateTime expiresAt, bool refresh = false)
        {
            var cache = new JsonObject
            {
                ["startUrl"] = StartUrl,
                ["region"] = "us-east-1",
                ["accessToken"] = accessToken,
                ["expiresAt"] = expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            };
            if (refresh && !_legacy)
            {
                cache["refreshToken"] = RefreshToken;
                cache["clientId"] = ClientId;
                cache["clientSecret"] = ClientSecret;
                cache["registrationExpiresAt"] = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            }

            return File.WriteAllTextAsync(CacheFile, cache.ToJsonString());
        }

        public ValueTask DisposeAsync()
        {
            Directory.Delete(Root, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The SSO portal's GetRoleCredentials: role credentials only for the one bearer token it expects, else 401 UnauthorizedException.</summary>
    private sealed class Portal : IAsyncDisposable
    {
        private Portal(LocalHttpServer server, string token)
        {
            Server = server;
            Token = token;
        }

        public LocalHttpServer Server { get; }

        private string Token { get; }

        public static async Task<Portal> StartAsync(string token)
        {
            var server = await LocalHttpServer.StartAsync(async (request, context) =>
            {
                context.Response.ContentType = "application/json";
                if (request.Header("x-amz-sso_bearer_token") != token)
                {
                    context.Response.StatusCode = 401;
                    context.Response.Headers["x-amzn-ErrorType"] = "UnauthorizedException";
                    await context.Response.WriteAsync("""{"message":"Session token not found or invalid"}""");
                    return;
                }

                var expiration = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
                await context.Response.WriteAsync($$$"""{"roleCredentials":{"accessKeyId":"{{{RoleKeyId}}}","secretAccessKey":"{{{RoleSecret}}}","sessionToken":"{{{SessionToken}}}","expiration":{{{expiration}}}}}""");
            });
            return new Portal(server, token);
        }

        /// <summary>One GetRoleCredentials for the profile's account and role, carrying <paramref name="token"/> as its bearer header.</summary>
        public void AssertOneCallFor(string token)
        {
            Assert.AreEqual(Token, token);
            var call = Server.Requests.Single();
            Assert.AreEqual("GET", call.Method);
            StringAssert.StartsWith(call.PathAndQuery, "/federation/credentials?");
            StringAssert.Contains(call.PathAndQuery, "account_id=123456789012");
            StringAssert.Contains(call.PathAndQuery, "role_name=Deploy");
            Assert.AreEqual(token, call.Header("x-amz-sso_bearer_token"), "the portal call carries the token as its bearer header");
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
