using System.Text;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Documents;

namespace ConfigManager.Core.Tests.Documents;

[TestClass]
public sealed class DocumentLoaderTests
{
    private const string Json = "{\"a\":\"ENV://X\",\"é\":\"ü€𝄞\"}\n";

    public static IEnumerable<object[]> Encodings =>
    [
        ["UTF-8", new UTF8Encoding(false)],
        ["UTF-8 BOM", new UTF8Encoding(true)],
        ["UTF-16 LE", new UnicodeEncoding(false, true)],
        ["UTF-16 BE", new UnicodeEncoding(true, true)],
        ["UTF-32 LE", new UTF32Encoding(false, true)],
        ["UTF-32 BE", new UTF32Encoding(true, true)],
    ];

    [TestMethod]
    [DynamicData(nameof(Encodings))]
    public void The_BOM_decides_the_encoding_and_writing_back_gives_the_same_bytes(string name, Encoding encoding)
    {
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(Json)).ToArray();

        var loaded = DocumentLoader.Load(bytes, "appsettings.json");

        Assert.AreEqual(Json, loaded.Document.Text, name + ": the BOM is not part of the text");
        Assert.AreEqual(DocumentFormat.Json, loaded.Document.Format, "format decided once, by extension");
        CollectionAssert.AreEqual(bytes, loaded.Encode(loaded.Document.Text), name + ": same BOM, same encoding");
    }

    [TestMethod]
    public void A_Latin1_byte_is_CM4104_with_its_line_and_column()
    {
        var bytes = Encoding.Latin1.GetBytes("a=ENV://X\nb=café\n");

        var refused = Assert.ThrowsExactly<ConfigManagerException>(() => DocumentLoader.Load(bytes, "app.env"));

        Assert.AreEqual("CM4104", refused.Code);
        StringAssert.StartsWith(refused.Message, "app.env(2,6): 0xE9 at byte 15 is not valid UTF-8");
        StringAssert.Contains(refused.Message, "nothing was written");
    }

    [TestMethod]
    public void Binary_bytes_are_CM4104_and_a_valid_UTF8_binary_round_trips_byte_exact()
    {
        var random = new byte[4096];
        new Random(14).NextBytes(random);
        random[0] = 0x80; // no BOM, not UTF-8
        Assert.AreEqual("CM4104", Assert.ThrowsExactly<ConfigManagerException>(() => DocumentLoader.Load(random, "blob.bin")).Code);

        var nulls = new byte[] { 0, 1, 2, 0x7F, 0, (byte)'E', (byte)'N', (byte)'V', 0 };
        var loaded = DocumentLoader.Load(nulls, "blob.bin");
        CollectionAssert.AreEqual(nulls, loaded.Encode(loaded.Document.Text));
    }

    [TestMethod]
    public void A_lone_surrogate_in_UTF16_and_an_odd_byte_count_are_CM4104()
    {
        byte[] lone = [0xFF, 0xFE, (byte)'a', 0, 0x00, 0xD8, (byte)'b', 0];
        Assert.AreEqual("CM4104", Assert.ThrowsExactly<ConfigManagerException>(() => DocumentLoader.Load(lone, "x.json")).Code);
        byte[] odd = [0xFF, 0xFE, (byte)'a', 0, (byte)'b'];
        StringAssert.Contains(Assert.ThrowsExactly<ConfigManagerException>(() => DocumentLoader.Load(odd, "x.json")).Message, "UTF-16 LE");
    }
}
