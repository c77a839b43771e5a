using System.Security.Cryptography.X509Certificates;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// Accepts exactly the certificate the plugin announced in its handshake. The chain never validates
/// (a self-signed, one-off CA), so byte equality is the whole check.
/// </summary>
internal sealed class CertificatePin(byte[] expectedDer)
{
    private volatile bool _mismatched;

    /// <summary>True once the plugin presented some other certificate.</summary>
    public bool Mismatched => _mismatched;

    public bool Matches(X509Certificate? presented)
    {
        var ok = presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(expectedDer);
        if (!ok)
        {
            _mismatched = true;
        }

        return ok;
    }
}
