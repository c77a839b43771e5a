using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>
/// A throw-away CA and a server certificate for localhost/127.0.0.1/::1 signed by it; the CA's PEM is written to
/// a file for the plugin's SSL_CERT_FILE. (Stand-in until the shared TestCertificateAuthority lands.)
/// </summary>
public sealed class LoopbackCertificates : IDisposable
{
    private readonly string _directory;

    private LoopbackCertificates(X509Certificate2 server, string caFile, string directory)
    {
        ServerCertificate = server;
        CaFile = caFile;
        _directory = directory;
    }

    public X509Certificate2 ServerCertificate { get; }

    /// <summary>PEM file with the CA certificate only (owner-readable).</summary>
    public string CaFile { get; }

    public static LoopbackCertificates Create()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=ConfigManager test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        // Kestrel on Linux needs a certificate whose key is exportable (PFX round trip).
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);

        var directory = Directory.CreateTempSubdirectory("cm-test-ca-").FullName;
        var caFile = Path.Combine(directory, "ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem() + "\n");
        return new LoopbackCertificates(server, caFile, directory);
    }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
