using ConfigManager.TestSupport;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// The SDK's credential chain inside the NativeAOT plugin, against moto's STS: an assume-role profile and a web identity
/// token file both end in temporary credentials that sign the SSM call (the STS client is registered explicitly, since
/// NativeAOT cannot load it by reflection). STS is reached through AWS_ENDPOINT_URL like every other service. SSO
/// profiles, for both AWS plugins: <see cref="AwsSsoCredentialTests"/>.
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
