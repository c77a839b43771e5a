using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ConfigManager.PluginSdk.Transport;

/// <summary>
/// The plugin's TLS server settings under AutoMTLS: its ephemeral cert, ALPN h2, TLS 1.2+, and only the
/// host's exact cert accepted as client cert.
/// </summary>
internal sealed class MutualTls : IDisposable
{
    private readonly X509Certificate2? _clientCertificate;
    private readonly Task<SslStreamCertificateContext> _context;

    /// <summary>Makes this launch's server cert and starts preparing its TLS context.</summary>
    public static MutualTls Create(X509Certificate2? hostCertificate) => new(AutoMtls.CreateServerCertificate(), hostCertificate);

    private MutualTls(X509Certificate2 serverCertificate, X509Certificate2? clientCertificate)
    {
        ServerCertificate = serverCertificate;
        _clientCertificate = clientCertificate;

        // Building the context runs an OpenSSL chain build (tens of ms); start it now so that it overlaps
        // with Kestrel's start-up and the host reading the handshake line, instead of delaying the line.
        _context = Task.Run(() => SslStreamCertificateContext.Create(serverCertificate, additionalCertificates: null, offline: true));
    }

    public X509Certificate2 ServerCertificate { get; }

    public async ValueTask<SslServerAuthenticationOptions> GetServerOptionsAsync()
    {
        var chainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        if (_clientCertificate is not null)
        {
            chainPolicy.CustomTrustStore.Add(_clientCertificate);
        }

        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = await _context.ConfigureAwait(false),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // grpc-go >= 1.67 refuses TLS without ALPN h2.
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = chainPolicy,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => IsHostCertificate(certificate),
        };
    }

    /// <summary>Accept exactly the cert the host gave in PLUGIN_CLIENT_CERT, byte for byte (none if it did not parse).</summary>
    internal bool IsHostCertificate(X509Certificate? certificate) =>
        certificate is not null && _clientCertificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(_clientCertificate.RawData);

    public void Dispose()
    {
        ServerCertificate.Dispose();
        _clientCertificate?.Dispose();
    }
}
