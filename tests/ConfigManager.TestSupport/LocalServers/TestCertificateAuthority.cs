using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConfigManager.TestSupport.LocalServers;

/// <summary>
/// A throw-away certificate authority and a server certificate it signed for 127.0.0.1, ::1 and localhost (plus any
/// names asked for), so local HTTPS servers can stand in for cloud endpoints. The CA's PEM file is what a plugin
/// process is given through SSL_CERT_FILE (.NET on Linux honours it) or VAULT_CACERT. Dispose deletes the files.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly string _directory;

    private TestCertificateAuthority(string directory, X509Certificate2 caCertificate, X509Certificate2 serverCertificate)
    {
        _directory = directory;
        CaCertificate = caCertificate;
        ServerCertificate = serverCertificate;
        CaCertificatePath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(CaCertificatePath, caCertificate.ExportCertificatePem() + "\n");
    }

    /// <summary>The CA certificate (no private key).</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The server certificate with its private key, for Kestrel.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The CA certificate as a PEM file (for SSL_CERT_FILE, VAULT_CACERT, ...).</summary>
    public string CaCertificatePath { get; }

    /// <summary>The folder holding <see cref="CaCertificatePath"/> (for SSL_CERT_DIR-style settings; not hashed, so prefer the file).</summary>
    public string Directory => _directory;

    /// <summary>Creates a CA and a server certificate valid for loopback and <paramref name="extraDnsNames"/>.</summary>
    public static TestCertificateAuthority Create(params string[] extraDnsNames)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("cm-test-ca-").FullName;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=ConfigManager test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caWithKey = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var name in extraDnsNames)
        {
            names.AddDnsName(name);
        }

        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = serverRequest.Create(caWithKey, notBefore, notAfter, serial);
        using var signedWithKey = signed.CopyWithPrivateKey(serverKey);

        // Through PKCS#12 so the key is a persisted one that SslStream can use on every platform.
        var server = X509CertificateLoader.LoadPkcs12(signedWithKey.Export(X509ContentType.Pkcs12), null);
        var ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        return new TestCertificateAuthority(directory, ca, server);
    }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        CaCertificate.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind holds only public certificates.
        }
    }
}
