using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConfigManager.PluginSdk.Tests.Support;

/// <summary>Host-side AutoMTLS certificates, shaped like the ones go-plugin's host sends in PLUGIN_CLIENT_CERT.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateHostCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=HashiCorp", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddDays(1));
    }
}
