using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// The SDK's credential chain inside the NativeAOT plugin, against moto's STS: an assume-role profile and a web identity
/// token file both end in temporary credentials that sign the SSM call (the STS client is registered explicitly, since
/// NativeAOT cannot load it by reflection). STS is reached through AWS_ENDPOINT_URL like every other service.
/// </summary>
[TestClass]
public sealed class ParamStoreCredentialTests
{
    private const string Token = "AWSPARAMSTR:///app/secure";
    private static ParamStoreFixture s_aws = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => s_aws = await ParamStoreFixture.StartAsync(bulk: false);

    [ClassCleanup]
    public static async Task StopAsync() => await s_aws.DisposeAsync();

    [TestMethod]
    public async Task An_assume_role_profile_signs_with_the_roles_temporary_credentials()
    {
        s_aws.Proxy.ClearRequests();
        var config = Path.Combine(s_aws.Moto.Directory, "assume-config");
        var credentials = Path.Combine(s_aws.Moto.Directory, "assume-credentials");
        await File.WriteAllTextAsync(config, "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nregion = us-east-1\n");
        await File.WriteAllTextAsync(credentials, "[base]\naws_access_key_id = AKIABASEPROFILE00000\naws_secret_access_key = base-secret-not-a-secret\n");
        try
        {
            var (result, log, _) = await AwsPluginRun.ResolveAsync(
                CSharpPlugin.AwsParamStore,
                [Token],
                s_aws.Environment(("AWS_ACCESS_KEY_ID", null), ("AWS_SECRET_ACCESS_KEY", null), ("AWS_CONFIG_FILE", config), ("AWS_SHARED_CREDENTIALS_FILE", credentials), ("AWS_PROFILE", "deploy")));

            Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
            Assert.AreEqual(ParamStoreFixture.SecureV2, result.Values.Single().Value);
            AssertSignedWithTemporaryCredentials("Action=AssumeRole&");
            ParamStorePluginTests.AssertClean(log, result, s_aws);
        }
        finally
        {
            File.Delete(config);
            File.Delete(credentials);
        }
    }

    [TestMethod]
    public async Task A_web_identity_token_file_signs_with_the_roles_temporary_credentials()
    {
        s_aws.Proxy.ClearRequests();
        var tokenFile = Path.Combine(s_aws.Moto.Directory, "web-identity-token");
        await File.WriteAllTextAsync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmNpIn0.c2lnbmF0dXJl");
        try
        {
            var (result, log, _) = await AwsPluginRun.ResolveAsync(
                CSharpPlugin.AwsParamStore,
                [Token],
                s_aws.Environment(("AWS_ACCESS_KEY_ID", null), ("AWS_SECRET_ACCESS_KEY", null), ("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile), ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci")));

            Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
            Assert.AreEqual(ParamStoreFixture.SecureV2, result.Values.Single().Value);
            AssertSignedWithTemporaryCredentials("Action=AssumeRoleWithWebIdentity&");
            Assert.IsFalse(log.Any(line => line.Contains("eyJhbGciOiJSUzI1NiJ9", StringComparison.Ordinal)), "the identity token reached the log");
            ParamStorePluginTests.AssertClean(log, result, s_aws);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [TestMethod]
    public async Task An_SSO_session_profile_gets_role_credentials_from_the_portal_with_the_cached_token()
    {
        const string accessToken = "sso-cached-access-token-not-a-secret-4Kd9";
        const string sessionToken = "sso-role-session-token-7Qp2";
        s_aws.Proxy.ClearRequests();
        var home = Path.Combine(s_aws.Moto.Directory, "sso-home");
        var cache = Path.Combine(home, ".aws", "sso", "cache");
        Directory.CreateDirectory(cache);
        var config = Path.Combine(home, ".aws", "config");
        await File.WriteAllTextAsync(config, """
            [profile sso-dev]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = Deploy
            region = us-east-1

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            sso_registration_scopes = sso:account:access
            """);
        // The SDKs cache an sso-session's token under the SHA-1 of the session name.
        var cacheFile = Path.Combine(cache, Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("corp"u8)) + ".json");
        await File.WriteAllTextAsync(cacheFile, $$"""{"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":"{{accessToken}}","expiresAt":"{{DateTime.UtcNow.AddHours(8):yyyy-MM-ddTHH:mm:ssZ}}"}""");
        await using var portal = await LocalHttpServer.StartAsync(async (_, context) =>
        {
            context.Response.ContentType = "application/json";
            var expiration = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
            await context.Response.WriteAsync($$$"""{"roleCredentials":{"accessKeyId":"ASIASSOROLE000000000","secretAccessKey":"sso-role-secret-not-a-secret","sessionToken":"{{{sessionToken}}}","expiration":{{{expiration}}}}}""");
        });
        try
        {
            var (result, log, _) = await AwsPluginRun.ResolveAsync(
                CSharpPlugin.AwsParamStore,
                [Token],
                s_aws.Environment(
                    ("AWS_ACCESS_KEY_ID", null), ("AWS_SECRET_ACCESS_KEY", null), ("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "sso-dev"),
                    ("HOME", home), ("AWS_ENDPOINT_URL_SSO", portal.BaseAddress.ToString().TrimEnd('/'))));

            Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
            Assert.AreEqual(ParamStoreFixture.SecureV2, result.Values.Single().Value);
            var call = portal.Requests.Single();
            Assert.AreEqual("GET", call.Method);
            StringAssert.StartsWith(call.PathAndQuery, "/federation/credentials?");
            StringAssert.Contains(call.PathAndQuery, "account_id=123456789012");
            StringAssert.Contains(call.PathAndQuery, "role_name=Deploy");
            Assert.AreEqual(accessToken, call.Header("x-amz-sso_bearer_token"), "the portal call carries the cached token as its bearer header");
            var ssm = s_aws.Proxy.Requests.Single(r => r.Header("x-amz-target") == "AmazonSSM.GetParameters");
            StringAssert.StartsWith(ssm.Header("authorization") ?? string.Empty, "AWS4-HMAC-SHA256 Credential=ASIASSOROLE000000000/");
            Assert.AreEqual(sessionToken, ssm.Header("x-amz-security-token"));
            Assert.IsFalse(log.Any(line => line.Contains(accessToken, StringComparison.Ordinal) || line.Contains(sessionToken, StringComparison.Ordinal)), "a token reached the log");
            ParamStorePluginTests.AssertClean(log, result, s_aws);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static void AssertSignedWithTemporaryCredentials(string stsAction)
    {
        var requests = s_aws.Proxy.Requests;
        var sts = requests.Where(r => r.BodyText.Contains(stsAction, StringComparison.Ordinal)).ToArray();
        Assert.HasCount(1, sts, "one STS call for the run: " + string.Join("\n", requests.Select(r => r.Header("x-amz-target") ?? r.BodyText)));
        var ssm = requests.Single(r => r.Header("x-amz-target") == "AmazonSSM.GetParameters");
        var authorization = ssm.Header("authorization") ?? string.Empty;
        Assert.IsFalse(authorization.Contains("Credential=AKIA", StringComparison.Ordinal), "signed with the long-term key instead of the role's: " + authorization);
        Assert.IsNotNull(ssm.Header("x-amz-security-token"), "temporary credentials carry a session token");
    }
}
