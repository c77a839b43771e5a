using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConfigManager.Shared;

/// <summary>
/// The certificate request both sides of go-plugin AutoMTLS sign: CN/SAN localhost, O=HashiCorp, CA,
/// serverAuth + clientAuth, as go-plugin shapes it. Compiled into ConfigManager.Core (host) and
/// ConfigManager.PluginSdk (plugin) so the two cannot drift apart; each side chooses validity and serial.
/// </summary>
internal static class AutoMtlsCertificateRequest
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>A request for the given key (P-256 in both places: Go peers accept it and it is cheap to make).</summary>
    public static CertificateRequest Create(ECDsa key)
    {
        var request = new CertificateRequest("CN=localhost, O=HashiCorp", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.KeyCertSign,
            critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid), new Oid(ClientAuthOid)], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        return request;
    }
}
