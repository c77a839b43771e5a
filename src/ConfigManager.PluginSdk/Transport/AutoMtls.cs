using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConfigManager.Shared;

namespace ConfigManager.PluginSdk.Transport;

/// <summary>go-plugin AutoMTLS, plugin side: an ephemeral server cert, and the host's cert from PLUGIN_CLIENT_CERT.</summary>
internal static class AutoMtls
{
    /// <summary>
    /// A per-launch self-signed cert shaped like go-plugin's (CN/SAN localhost, O=HashiCorp, CA, server+client
    /// auth, ~30 years). P-256 instead of go-plugin's P-521: Go hosts accept it and it is cheaper to make.
    /// </summary>
    public static X509Certificate2 CreateServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = AutoMtlsCertificateRequest.Create(key);

        var now = DateTimeOffset.UtcNow;
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // positive and below 2^127, like go-plugin's serial (< 2^128)
        var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now.AddSeconds(-30), now.AddHours(262980), serial);
        var withKey = certificate.CopyWithPrivateKey(key);
        certificate.Dispose();

        // SChannel cannot use an ephemeral key; elsewhere the in-memory key works as is.
        return OperatingSystem.IsWindows() ? new X509Certificate2(withKey.Export(X509ContentType.Pkcs12)) : withKey;
    }

    /// <summary>
    /// The host's certificate, the only client certificate this plugin accepts; null (after logging CM2101) when it
    /// does not parse. Like a Go plugin, the plugin then still serves TLS and refuses every connection, so hosts
    /// see the same failure from both.
    /// </summary>
    public static X509Certificate2? ParseClientCertificate(string pem, Action<string> error)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            error("CM2101: PLUGIN_CLIENT_CERT is not a PEM certificate, so every connection will be refused: " + ex.Message);
            return null;
        }
    }
}
