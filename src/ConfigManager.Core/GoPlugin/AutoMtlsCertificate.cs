using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConfigManager.Shared;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// The host's ephemeral go-plugin AutoMTLS certificate: ECDSA P-256, CN/SAN localhost, CA, serverAuth +
/// clientAuth. Its PEM goes to the plugin in PLUGIN_CLIENT_CERT; the TLS context is built off the
/// critical path because it loads the system trust store (≈ 55 ms).
/// </summary>
public sealed class AutoMtlsCertificate : IDisposable
{
    private readonly Lazy<Task<SslStreamCertificateContext>> _context;

    private AutoMtlsCertificate(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Pem = certificate.ExportCertificatePem();
        _context = new(() => Task.Run(() => SslStreamCertificateContext.Create(Certificate, additionalCertificates: null, offline: true)));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate as PEM, for PLUGIN_CLIENT_CERT.</summary>
    public string Pem { get; }

    /// <summary>Generates a fresh certificate and key (kept in memory only).</summary>
    public static AutoMtlsCertificate Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = AutoMtlsCertificateRequest.Create(key);
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddSeconds(-30), now.AddDays(1));
        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use an ephemeral key directly; a PKCS#12 round trip gives it a usable one.
            var pfx = certificate.Export(X509ContentType.Pkcs12);
            certificate.Dispose();
#pragma warning disable SYSLIB0057 // X509CertificateLoader is not available on net8.0.
            certificate = new X509Certificate2(pfx, (string?)null, X509KeyStorageFlags.EphemeralKeySet);
#pragma warning restore SYSLIB0057
        }

        return new AutoMtlsCertificate(certificate);
    }

    /// <summary>Starts building the TLS client context in the background (idempotent).</summary>
    public void Prepare() => _ = _context.Value;

    /// <summary>The TLS client context (built once, shared by every plugin of the host).</summary>
    public Task<SslStreamCertificateContext> GetContextAsync() => _context.Value;

    public void Dispose() => Certificate.Dispose();
}
