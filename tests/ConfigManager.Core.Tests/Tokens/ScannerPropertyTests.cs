using System.Text.Json;
using System.Xml.Linq;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Substitution;
using ConfigManager.Core.Tokens;
using ConfigManager.TestSupport;
using CsCheck;
using YamlDotNet.RepresentationModel;

namespace ConfigManager.Core.Tests.Tokens;

/// <summary>Properties that hold for any input, checked on generated texts and values.</summary>
[TestClass]
public sealed class ScannerPropertyTests
{
    private const int Iterations = 2_000;

    private static readonly TokenGrammar s_grammar = TokenGrammar.Create(new EngineOptions { ExtraPrefixes = ["GOTEST"] });

    // Text biased towards the grammar's sharp edges: each generated character stands for one fragment.
    private static readonly string[] s_fragments =
    [
        "AWSSECRETS://", "VAULT://", "GOTEST://", "AZ", "AW", "G", "V", "://", "|", "[", "]", "[]", "=", "/?", "\"", "'", "\r\n",
        "\n", " ", "<", "]]>", "a", "b/", ".", "-", ":", "@", "?", "$", "\t", "é", "😀", "\0",
    ];

    private static readonly Gen<string> s_tokenishText = Gen.String[new string(Enumerable.Range(0, s_fragments.Length).Select(i => (char)('!' + i)).ToArray())]
        .Select(picks => string.Concat(picks.Select(c => s_fragments[c - '!'])));

    private static readonly Gen<string> s_anyValue = Gen.OneOf(
        Gen.String,
        Gen.String["\"'\\<&>\n\r\t :#-[]{},!|>%@`*?~\u0001\u001f\u007f\u0085\u2028é中😀"],
        Gen.String[new string(Enumerable.Range(0, 256).Select(i => (char)i).ToArray())]);

    [TestMethod]
    public void Scanner_never_throws_and_spans_stay_in_bounds() => s_tokenishText.Sample(text =>
    {
        foreach (var file in new[] { "a.txt", "a.xml" })
        {
            var result = TokenScanner.Scan(text, file, s_grammar);
            var previousEnd = 0;
            foreach (var token in result.Tokens)
            {
                Assert.IsTrue(token.Start >= previousEnd && token.Length > 0 && token.Start + token.Length <= text.Length);
                Assert.AreEqual(token.Text, text.Substring(token.Start, token.Length));
                Assert.IsTrue(token.Line >= 1 && token.Column >= 1);
                var lineStart = text.LastIndexOf('\n', Math.Max(0, token.Start - 1)) + 1;
                Assert.AreEqual(token.Start - (token.Start == 0 ? 0 : lineStart) + 1, token.Column);
                Assert.AreEqual(text.AsSpan(0, token.Start).Count('\n') + 1, token.Line);
                previousEnd = token.Start + token.Length;
            }

            Assert.IsTrue(result.Diagnostics.All(d => d.Code.StartsWith("CM100", StringComparison.Ordinal) && d.Line >= 1));
        }
    }, iter: Iterations);

    [TestMethod]
    public void Scanner_never_throws_on_arbitrary_unicode() => Gen.String.Sample(text =>
    {
        var result = TokenScanner.Scan(text, "a.json", s_grammar);
        Assert.IsTrue(result.Tokens.All(t => t.Start + t.Length <= text.Length));
    }, iter: Iterations);

    [TestMethod]
    public void Text_without_tokens_comes_out_byte_identical() => s_tokenishText.Sample(text =>
    {
        var tokens = TokenScanner.Scan(text, "a.json", s_grammar).Tokens;
        var diagnostics = new List<Diagnostic>();
        if (tokens.Count == 0)
        {
            Assert.AreSame(text, DocumentSubstitution.Apply(text, "a.json", DocumentFormat.Auto, [], false, diagnostics));
        }

        // Lax: tokens without a value stay as written, so the whole text is unchanged.
        var engine = TokenEngine.ResolveAsync([new SourceDocument("a.txt", text)], new EngineOptions { Lax = true, ExtraPrefixes = ["GOTEST"] },
            new Support.InMemoryValueSource(), new RecordingLogSink(), new ConfigManager.Core.Logging.SecretMask(), CancellationToken.None).GetAwaiter().GetResult();
        if (engine.Succeeded)
        {
            Assert.AreEqual(text, engine.Documents.Single().Text);
        }
    }, iter: 500);

    [TestMethod]
    public void Json_escaping_round_trips_any_value() => s_anyValue.Where(v => !HasLoneSurrogate(v)).Sample(value =>
    {
        var (output, diagnostics) = Substitution.EscapingRoundTripTests.Substitute("{\"a\":\"x VAULT://v\"}", "a.json", value);
        Assert.AreEqual(0, diagnostics.Count);
        using var document = JsonDocument.Parse(output);
        Assert.AreEqual("x " + value, document.RootElement.GetProperty("a").GetString());
    }, iter: Iterations);

    [TestMethod]
    public void Xml_escaping_round_trips_any_representable_value() => s_anyValue.Where(ValueEscaping.IsXmlRepresentable).Sample(value =>
    {
        var (output, diagnostics) = Substitution.EscapingRoundTripTests.Substitute("<a b=\"VAULT://v\">VAULT://v</a>", "a.xml", value);
        Assert.AreEqual(0, diagnostics.Count);
        var root = XDocument.Parse(output, LoadOptions.PreserveWhitespace).Root!;
        Assert.AreEqual(value, root.Attribute("b")!.Value);
        Assert.AreEqual(value, root.Value);
    }, iter: Iterations);

    [TestMethod]
    public void Yaml_escaping_round_trips_any_value() => s_anyValue.Where(v => !HasLoneSurrogate(v)).Sample(value =>
    {
        const string source = "p: VAULT://v\nd: \"VAULT://v\"\ns: 'VAULT://v'\ne: pre VAULT://v post\nq: 'it''s VAULT://v'\nf: [VAULT://v , x]\n";
        var (output, diagnostics) = Substitution.EscapingRoundTripTests.Substitute(source, "a.yaml", value);
        Assert.AreEqual(0, diagnostics.Count);
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        foreach (var key in new[] { "p", "d", "s" })
        {
            Assert.AreEqual(value, ((YamlScalarNode)root.Children[new YamlScalarNode(key)]).Value, output);
        }

        Assert.AreEqual("pre " + value + " post", ((YamlScalarNode)root.Children[new YamlScalarNode("e")]).Value, output);
        Assert.AreEqual("it's " + value, ((YamlScalarNode)root.Children[new YamlScalarNode("q")]).Value, output);
        Assert.AreEqual(value, ((YamlScalarNode)((YamlSequenceNode)root.Children[new YamlScalarNode("f")]).Children[0]).Value, output);
    }, iter: Iterations);

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
