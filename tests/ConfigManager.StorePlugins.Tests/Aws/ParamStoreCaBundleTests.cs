using ConfigManager.Core;
using ConfigManager.Core.Diagnostics;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Aws;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// AWSPARAMSTR (AWSSDK.SimpleSystemsManagement in a real NativeAOT process) behind an HTTPS <see cref="AwsCountingProxy"/>
/// on loopback signed by a test CA, in front of a real moto: AWS_CA_BUNDLE and the profile's ca_bundle (which AWSSDK.Core
/// alone does not read) make it trusted; without one, or with a bundle that cannot be used, a coded error. No output holds the value.
/// </summary>
[TestClass]
public sealed class ParamStoreCaBundleTests
{
    private const string Token = "AWSPARAMSTR:///app/behind-proxy";
    private const string Value = "ssm-value-behind-a-tls-proxy";

    private static MotoServer s_moto = null!;
    private static TestCertificateAuthority s_ca = null!;
    private static AwsCountingProxy s_https = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.AwsParamStore);
        s_moto = await MotoServer.StartAsync();
        using (var client = s_moto.Client())
        {
            await client.PutParameterAsync("/app/behind-proxy", Value, "SecureString");
        }

        s_ca = TestCertificateAuthority.Create();
        s_https = await AwsCountingProxy.StartAsync(s_moto, s_ca.ServerCertificate);
        await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await s_https.DisposeAsync();
        await s_moto.DisposeAsync();
        s_ca.Dispose();
    }

    [TestMethod]
    public async Task AWS_CA_BUNDLE_makes_the_proxy_CA_trusted()
    {
        var (result, log, _) = await ResolveAsync(("AWS_CA_BUNDLE", s_ca.CaCertificatePath));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Value, result.Values.Single().Value);
        Assert.IsNotEmpty(s_https.Requests);
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task The_profile_ca_bundle_makes_the_proxy_CA_trusted()
    {
        var config = Path.Combine(s_ca.Directory, $"config-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(config, "[profile ci]\nca_bundle = " + s_ca.CaCertificatePath + "\n");

        var (result, log, _) = await ResolveAsync(("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "ci"));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Value, result.Values.Single().Value);
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task Without_a_bundle_the_proxy_certificate_is_a_CM2231_error()
    {
        var (result, log, _) = await ResolveAsync();

        var error = SingleError(result);
        StringAssert.Contains(error, "CM2231: AWSPARAMSTR token '/app/behind-proxy': SSM at");
        StringAssert.Contains(error, "has a TLS certificate this machine does not trust");
        StringAssert.Contains(error, "set AWS_CA_BUNDLE (or ca_bundle in the profile)");
        AssertNoSecretIn([.. log, error]);
    }

    [TestMethod]
    public async Task A_missing_bundle_is_a_CM2230_error_naming_the_file()
    {
        var missing = Path.Combine(s_ca.Directory, "no-such-bundle.pem");

        var (result, log, _) = await ResolveAsync(("AWS_CA_BUNDLE", missing));

        var error = SingleError(result);
        StringAssert.Contains(error, $"CM2230: AWSPARAMSTR token '/app/behind-proxy': the CA bundle {missing} (AWS_CA_BUNDLE) cannot be read:");
        Assert.IsEmpty(s_https.Requests);
        AssertNoSecretIn([.. log, error]);
    }

    private static async Task<StoreRun> ResolveAsync(params (string Name, string? Value)[] settings)
    {
        s_https.ClearRequests();
        await using var trap = ProxyTrap.Start();
        // Only the bundle may make the test CA trusted: no SSL_CERT_FILE/SSL_CERT_DIR from the machine.
        return await AwsPluginRun.ResolveAsync(
            CSharpPlugin.AwsParamStore, [Token], [.. s_https.PluginEnvironment(), .. trap.Environment, ("SSL_CERT_FILE", null), ("SSL_CERT_DIR", null), .. settings]);
    }

    private static string SingleError(TokenValuesResult result)
    {
        Assert.IsFalse(result.Succeeded);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Message).ToList();
        Assert.HasCount(1, errors, string.Join("\n", result.Diagnostics));
        return errors[0];
    }

    private static void AssertNoSecretIn(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Assert.DoesNotContain(Value, line, "the parameter value reached an output");
            Assert.DoesNotContain(MotoServer.SecretAccessKey, line, "the secret access key reached an output");
        }
    }
}
