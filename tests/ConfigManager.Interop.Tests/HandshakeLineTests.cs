using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;

namespace ConfigManager.Interop.Tests;

[TestClass]
public sealed class HandshakeLineTests
{
    private const string Plugin = "/p/gotest-linux-amd64";

    // A real go-plugin v1.0.1 AutoMTLS certificate field is ~700 characters; any > 50 is decoded.
    private static readonly byte[] s_der = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
    private static readonly string s_unpadded = Convert.ToBase64String(s_der).TrimEnd('=');

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
    public void Undecodable_cert_is_CM2018()
    {
        var ex = Assert.ThrowsExactly<ConfigManagerException>(() => HandshakeLine.Parse("1|1|unix|/tmp/p|grpc|" + new string('!', 60), Plugin));
        Assert.AreEqual("CM2018", ex.Code);
    }
}
