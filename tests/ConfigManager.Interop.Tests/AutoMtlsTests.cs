using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>AutoMTLS failures are recognised and named, not reported as a bare "Unavailable".</summary>
[TestClass]
public sealed class AutoMtlsTests
{
    [TestMethod]
    [DynamicData(nameof(InteropMatrix.CertificateRefusals), typeof(InteropMatrix))]
    public async Task Plugin_refusing_the_host_client_certificate_is_CM2020_with_a_hint(TestPluginKind kind, string which)
    {
        using var other = AutoMtlsCertificate.Create();

        // The plugin trusts some other certificate (or cannot parse it), so it refuses the host's.
        var pem = which == "other" ? other.Pem : "-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----\n";
        await using var run = HostRun.Start(kind, mtls: true, execLine: $"PLUGIN_CLIENT_CERT='{pem}'\nexport PLUGIN_CLIENT_CERT\nexec \"$BIN\"");
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2020", ex.Code, ex.Message);
        StringAssert.Contains(ex.Message, "refused the host's client certificate");
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsOnly), typeof(InteropMatrix))]
    public async Task Server_certificate_other_than_the_handshakes_is_refused_with_CM2021(TestPluginKind kind)
    {
        using var other = AutoMtlsCertificate.Create();
        var otherField = Convert.ToBase64String(other.Certificate.RawData).TrimEnd('=');

        // Rewrites field 6 of the real handshake, so the pin no longer matches what the plugin presents.
        var exec = $"OTHER='{otherField}'\n\"$BIN\" | {{ IFS= read -r line; printf '%s|%s\\n' \"${{line%|*}}\" \"$OTHER\"; cat; }}";
        await using var run = HostRun.Start(kind, mtls: true, execLine: exec);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2021", ex.Code, ex.Message);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsOnly), typeof(InteropMatrix))]
    public async Task Without_AutoMtls_no_client_certificate_is_offered(TestPluginKind kind)
    {
        Environment.SetEnvironmentVariable("PLUGIN_CLIENT_CERT", "inherited-by-accident");
        try
        {
            await using var run = HostRun.Start(kind, mtls: false);
            var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("env/PLUGIN_CLIENT_CERT"));
            Assert.AreEqual("CM2030", ex.Code);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PLUGIN_CLIENT_CERT", null);
        }
    }

    [TestMethod]
    public void Host_certificate_has_the_shape_go_plugin_expects()
    {
        using var certificate = AutoMtlsCertificate.Create();
        var cert = certificate.Certificate;
        Assert.AreEqual("CN=localhost, O=HashiCorp", cert.Subject);
        Assert.IsTrue(cert.HasPrivateKey);
        Assert.AreEqual("1.2.840.10045.2.1", cert.PublicKey.Oid.Value, "ECDSA");
        var basic = cert.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension>().Single();
        Assert.IsTrue(basic.CertificateAuthority);
        var eku = cert.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension>().Single();
        CollectionAssert.AreEquivalent(new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" }, eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value).ToArray());
        StringAssert.StartsWith(certificate.Pem, "-----BEGIN CERTIFICATE-----");
    }
}
