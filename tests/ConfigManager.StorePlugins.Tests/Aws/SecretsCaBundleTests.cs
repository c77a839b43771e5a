using ConfigManager.Core.Diagnostics;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Aws;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// AWSSECRETS (a real NativeAOT process) behind a TLS-inspecting proxy stand-in: an HTTPS <see cref="AwsCountingProxy"/>
/// on loopback whose certificate a test-made CA signed, in front of a real moto. The CA is trusted only through
/// AWS_CA_BUNDLE or the profile's ca_bundle (AWS_CA_BUNDLE wins); without it, or with a bundle that cannot be used, every
/// token fails with a coded error and nothing reaches the proxy. No output holds the secret.
/// </summary>
[TestClass]
public sealed class SecretsCaBundleTests
{
    private const string Token = "AWSSECRETS://app/behind-proxy";
    private const string Value = "sm-value-behind-a-tls-proxy";

    private static MotoServer s_moto = null!;
    private static TestCertificateAuthority s_ca = null!;
    private static TestCertificateAuthority s_otherCa = null!;
    private static AwsCountingProxy s_https = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.AwsSecrets);
        s_moto = await MotoServer.StartAsync();
        using (var client = s_moto.Client())
        {
            await client.CreateSecretAsync("app/behind-proxy", secretString: Value);
        }

        s_ca = TestCertificateAuthority.Create();
        s_otherCa = TestCertificateAuthority.Create();
        s_https = await AwsCountingProxy.StartAsync(s_moto, s_ca.ServerCertificate);
        await publish;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await s_https.DisposeAsync();
        await s_moto.DisposeAsync();
        s_ca.Dispose();
        s_otherCa.Dispose();
    }

    [TestMethod]
    public async Task AWS_CA_BUNDLE_makes_the_proxy_CA_trusted()
    {
        var (result, log, trapped) = await ResolveAsync(("AWS_CA_BUNDLE", s_ca.CaCertificatePath));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Value, SecretsPluginRun.ValueOf(result, Token));
        Assert.AreEqual("https", s_https.Endpoint.Scheme);
        Assert.AreEqual(1, s_https.Count("secretsmanager.GetSecretValue"));
        Assert.IsEmpty(trapped);
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task Without_a_bundle_the_proxy_certificate_is_a_CM2231_error_that_says_to_set_AWS_CA_BUNDLE()
    {
        var (result, log, _) = await ResolveAsync();

        var error = SingleError(result);
        StringAssert.Contains(error, $"CM2231: AWSSECRETS token 'app/behind-proxy': Secrets Manager at {s_https.Endpoint.GetLeftPart(UriPartial.Authority)} has a TLS certificate this machine does not trust");
        StringAssert.Contains(error, "set AWS_CA_BUNDLE (or ca_bundle in the profile) to that CA's PEM file");
        Assert.DoesNotContain("gave up after", error, "an untrusted certificate is not retried");
        Assert.IsEmpty(s_https.Requests, "no request got past the TLS handshake");
        AssertNoSecretIn([.. log, error]);
    }

    [TestMethod]
    public async Task The_profile_ca_bundle_makes_the_proxy_CA_trusted()
    {
        var config = WriteConfig("[default]\nregion = us-east-1\nca_bundle = " + s_ca.CaCertificatePath + "\n");

        var (result, log, _) = await ResolveAsync(("AWS_CONFIG_FILE", config));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(Value, SecretsPluginRun.ValueOf(result, Token));
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task AWS_CA_BUNDLE_wins_over_the_named_profile_ca_bundle()
    {
        var config = WriteConfig("[default]\nca_bundle = " + s_ca.CaCertificatePath + "\n\n[profile ci]\nca_bundle = " + s_otherCa.CaCertificatePath + "\n");

        var (fromProfile, _, _) = await ResolveAsync(("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "ci"));
        var (fromVariable, log, _) = await ResolveAsync(("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "ci"), ("AWS_CA_BUNDLE", s_ca.CaCertificatePath));

        StringAssert.Contains(SingleError(fromProfile), "CM2231: AWSSECRETS token", "profile 'ci' (AWS_PROFILE) names the other CA, not default's");
        Assert.AreEqual(Value, SecretsPluginRun.ValueOf(fromVariable, Token));
        AssertNoSecretIn(log);
    }

    [TestMethod]
    public async Task A_missing_bundle_is_a_CM2230_error_naming_the_file_and_the_setting()
    {
        var missing = Path.Combine(s_ca.Directory, "no-such-bundle.pem");

        var (result, log, _) = await ResolveAsync(("AWS_CA_BUNDLE", missing));

        var error = SingleError(result);
        StringAssert.Contains(error, $"CM2230: AWSSECRETS token 'app/behind-proxy': the CA bundle {missing} (AWS_CA_BUNDLE) cannot be read:");
        StringAssert.Contains(error, "Point AWS_CA_BUNDLE at a readable PEM file of the CA that signs the endpoint's certificate");
        Assert.DoesNotContain(" at ConfigManager.", error, "no stack trace");
        Assert.IsEmpty(s_https.Requests);
        AssertNoSecretIn([.. log, error]);
    }

    [TestMethod]
    public async Task A_profile_bundle_without_a_certificate_is_a_CM2230_error_naming_the_profile()
    {
        var empty = Path.Combine(s_ca.Directory, "empty-bundle.pem");
        await File.WriteAllTextAsync(empty, "no certificate here\n");
        var config = WriteConfig("[profile ci]\nca_bundle = " + empty + "\n");

        var (result, log, _) = await ResolveAsync(("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "ci"));

        var error = SingleError(result);
        StringAssert.Contains(error, $"CM2230: AWSSECRETS token 'app/behind-proxy': the CA bundle {empty} (ca_bundle of profile 'ci' in {config}) holds no PEM certificate");
        StringAssert.Contains(error, "Point ca_bundle in that profile at a readable PEM file");
        AssertNoSecretIn([.. log, error]);
    }

    private static async Task<(ConfigManager.Core.TokenValuesResult Result, IReadOnlyCollection<string> Log, IReadOnlyList<string> Trapped)> ResolveAsync(params (string Name, string? Value)[] settings)
    {
        s_https.ClearRequests();
        // Only the bundle may make the test CA trusted: no SSL_CERT_FILE/SSL_CERT_DIR from the machine.
        return await SecretsPluginRun.ResolveAsync([Token], [.. s_https.PluginEnvironment(), ("SSL_CERT_FILE", null), ("SSL_CERT_DIR", null), .. settings]);
    }

    private static string WriteConfig(string text)
    {
        var path = Path.Combine(s_ca.Directory, $"config-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        return path;
    }

    private static string SingleError(ConfigManager.Core.TokenValuesResult result)
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
            Assert.DoesNotContain(Value, line, "the secret value reached an output");
            Assert.DoesNotContain(MotoServer.SecretAccessKey, line, "the secret access key reached an output");
        }
    }
}
