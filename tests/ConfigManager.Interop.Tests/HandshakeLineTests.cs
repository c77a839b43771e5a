using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;

namespace ConfigManager.Interop.Tests;

[TestClass]
public sealed class HandshakeLineTests
{
    private const string Plugin = "/p/gotest-linux-amd64";

    // A real go-plugin v1.0.1 AutoMTLS certificate field is ~700 characters; any > 50 is decoded (and must be DER).
    private static readonly byte[] s_der = UnpaddableCertificate();
    private static readonly string s_unpadded = Convert.ToBase64String(s_der).TrimEnd('=');

    private static byte[] UnpaddableCertificate()
    {
        // A self-signed certificate whose base64 needs '=' padding (DER length not a multiple of 3).
        for (var serial = 1; ; serial++)
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = request.Create(request.SubjectName, System.Security.Cryptography.X509Certificates.X509SignatureGenerator.CreateForECDsa(key), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1), [(byte)serial]);
            if (certificate.RawData.Length % 3 != 0)
            {
                return certificate.RawData;
            }
        }
    }

    [TestMethod]
    public void Plain_handshake_with_empty_cert_field_is_accepted()
    {
        var line = HandshakeLine.Parse("1|1|unix|/tmp/plugin123|grpc|\n", Plugin);
        Assert.AreEqual(1, line.CoreVersion);
        Assert.AreEqual("unix", line.Network);
        Assert.AreEqual("/tmp/plugin123", line.Address);
        Assert.IsNull(line.ServerCertificate);
    }

    [TestMethod]
    public void Handshake_with_unpadded_base64_cert_is_accepted()
    {
        Assert.AreNotEqual(0, s_unpadded.Length % 4, "the sample must need padding");
        var line = HandshakeLine.Parse($"1|1|tcp|127.0.0.1:10000|grpc|{s_unpadded}\r\n", Plugin);
        CollectionAssert.AreEqual(s_der, line.ServerCertificate);
        Assert.AreEqual("tcp", line.Network);
    }

    [TestMethod]
    public void Seventh_mux_field_is_tolerated()
    {
        var line = HandshakeLine.Parse($"1|1|unix|/tmp/plugin1|grpc|{s_unpadded}|false", Plugin);
        CollectionAssert.AreEqual(s_der, line.ServerCertificate);
    }

    [TestMethod]
    public void Short_cert_field_is_ignored_like_go_plugin() =>
        Assert.IsNull(HandshakeLine.Parse("1|1|unix|/tmp/plugin1|grpc|abc", Plugin).ServerCertificate);

    [TestMethod]
    [DataRow("hello world", "CM2013")]
    [DataRow("", "CM2013")]
    [DataRow("1|1|unix", "CM2013")]
    [DataRow("2|1|unix|/tmp/p|grpc|", "CM2014")]
    [DataRow("1|99|unix|/tmp/p|grpc|", "CM2015")]
    [DataRow("1|x|unix|/tmp/p|grpc|", "CM2015")]
    [DataRow("1|1|carrier-pigeon|/tmp/p|grpc|", "CM2016")]
    [DataRow("1|1|unix|/tmp/p|netrpc|", "CM2017")]
    [DataRow("1|1|unix|/tmp/p", "CM2017")]
    public void Bad_handshakes_get_their_own_code(string text, string code)
    {
        var ex = Assert.ThrowsExactly<ConfigManagerException>(() => HandshakeLine.Parse(text, Plugin));
        Assert.AreEqual(code, ex.Code);
        Assert.AreEqual(Plugin, ex.PluginPath);
        StringAssert.Contains(ex.Message, Plugin);
    }

    [TestMethod]
    public void Base64_that_is_not_a_DER_certificate_is_CM2018_not_a_later_connection_failure()
    {
        var notDer = Convert.ToBase64String(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray()).TrimEnd('=');
        var ex = Assert.ThrowsExactly<ConfigManagerException>(() => HandshakeLine.Parse("1|1|unix|/tmp/p|grpc|" + notDer, Plugin));
        Assert.AreEqual("CM2018", ex.Code);
        StringAssert.Contains(ex.Message, "not valid base64 DER");
    }

    [TestMethod]
    public void Undecodable_cert_is_CM2018()
    {
        var ex = Assert.ThrowsExactly<ConfigManagerException>(() => HandshakeLine.Parse("1|1|unix|/tmp/p|grpc|" + new string('!', 60), Plugin));
        Assert.AreEqual("CM2018", ex.Code);
    }
}
