using System.Text.Json;
using System.Xml.Linq;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Documents;
using ConfigManager.Core.Substitution;
using ConfigManager.Core.Tokens;
using YamlDotNet.RepresentationModel;

namespace ConfigManager.Core.Tests.Substitution;

/// <summary>Every token position, read back by a real parser, yields exactly the value.</summary>
[TestClass]
public sealed class EscapingRoundTripTests
{
    public static readonly string[] HardValues =
    [
        "plain", "with \"double\" quotes", "back\\slash\\", "it's", "<&>", "line1\nline2", "crlf\r\nend\r", "tab\there",
        "unicodé 中文 😀", "", " lead and trail ", "a: b # c", "- dash", "true", "123", "null", "~", "[x]", "{y}", "'", "\"",
        "#", "@at", "%percent", "*star", "&amp;", "]]>", "--", "\\u0041", "a,b", "?q", ":colon", "colon:",
    ];

    public static readonly string[] ControlValues = ["ctrl\u0001\u001f\u007f", "nul\0byte", "\u2028\u2029\u0085\uFEFF", "esc\u001b[0m", "lone\uD800surrogate"];

    private static readonly TokenGrammar s_grammar = TokenGrammar.Create(new EngineOptions());

    public static (string Output, List<Diagnostic> Diagnostics) Substitute(string text, string file, string value, bool inject = false)
    {
        var scan = TokenScanner.Scan(text, file, s_grammar);
        Assert.IsTrue(scan.Succeeded, string.Join("\n", scan.Diagnostics));
        var diagnostics = new List<Diagnostic>();
        var output = DocumentSubstitution.Apply(text, file, DocumentFormat.Auto, scan.Tokens.Select(t => new Replacement(t, value)).ToList(), inject, diagnostics);
        return (output, diagnostics);
    }

    private static string Show(string value) => JsonSerializer.Serialize(value);

    [TestMethod]
    public void Json_string_positions_read_back_exactly()
    {
        const string source = "{\n  \"whole\": \"VAULT://v\",\n  \"embedded\": \"pre VAULT://v post\",\n  \"list\": [\"VAULT://v\", \"x\"],\n  \"escapedBefore\": \"a\\\"b VAULT://v\"\n}\n";
        // System.Text.Json cannot read a lone surrogate back as a string, so that value is checked as text below.
        foreach (var value in HardValues.Concat(ControlValues).Where(v => !v.Contains('\uD800', StringComparison.Ordinal)))
        {
            var (output, diagnostics) = Substitute(source, "appsettings.json", value);
            Assert.AreEqual(0, diagnostics.Count, Show(value) + string.Join("\n", diagnostics));
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            Assert.AreEqual(value, root.GetProperty("whole").GetString(), Show(value));
            Assert.AreEqual("pre " + value + " post", root.GetProperty("embedded").GetString(), Show(value));
            Assert.AreEqual(value, root.GetProperty("list")[0].GetString(), Show(value));
            Assert.AreEqual("a\"b " + value, root.GetProperty("escapedBefore").GetString(), Show(value));
        }
    }

    [TestMethod]
    public void Json_lone_surrogate_is_written_as_an_escape()
        => Assert.AreEqual("\"lone\\ud800surrogate\"", Substitute("\"VAULT://v\"", "a.json", "lone\uD800surrogate").Output);

    [TestMethod]
    public void Xml_text_attribute_and_cdata_positions_read_back_exactly()
    {
        const string source = """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <add key="k" value="VAULT://v" single='VAULT://v' mixed="pre VAULT://v post" />
              <Password>VAULT://v</Password>
              <Mixed>pre VAULT://v post</Mixed>
              <Data><![CDATA[VAULT://v]]></Data>
              <!-- VAULT://v -->
            </configuration>
            """;
        foreach (var value in HardValues)
        {
            var (output, diagnostics) = Substitute(source, "web.config", value);
            Assert.AreEqual(0, diagnostics.Count, Show(value) + string.Join("\n", diagnostics));
            var root = XDocument.Parse(output, LoadOptions.PreserveWhitespace).Root!;
            var add = root.Element("add")!;
            Assert.AreEqual(value, add.Attribute("value")!.Value, Show(value));
            Assert.AreEqual(value, add.Attribute("single")!.Value, Show(value));
            Assert.AreEqual("pre " + value + " post", add.Attribute("mixed")!.Value, Show(value));
            Assert.AreEqual(value, root.Element("Password")!.Value, Show(value));
            Assert.AreEqual("pre " + value + " post", root.Element("Mixed")!.Value, Show(value));
            var cdata = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
            Assert.AreEqual(cdata, root.Element("Data")!.Value, Show(value) + " (CDATA content is line-end normalised by every XML parser)");
        }
    }

    [TestMethod]
    public void Xml_token_in_a_DTD_entity_value_is_CM4105_and_the_rest_still_substitutes()
    {
        const string source = "<?xml version=\"1.0\"?>\n<!DOCTYPE c [\n  <!ENTITY e \"VAULT://v\">\n  <!-- a ] and a > -->\n]>\n<c a=\"VAULT://v\">&e;</c>\n";

        var (output, diagnostics) = Substitute(source, "web.config", "50% & more");

        var error = diagnostics.Single();
        Assert.AreEqual("CM4105", error.Code);
        Assert.AreEqual(3, error.Line, "the entity's token, not the attribute's");
        StringAssert.Contains(error.Message, "<!DOCTYPE>");
        Assert.IsFalse(error.Message.Contains("50%", StringComparison.Ordinal));
        StringAssert.Contains(output, "<!ENTITY e \"VAULT://v\">", "the DTD is left as written");
        StringAssert.Contains(output, "a=\"50% &amp; more\"", "after the DOCTYPE, positions are escaped as usual");
    }

    [TestMethod]
    public void Xml_processing_instruction_takes_the_value_literally_and_refuses_one_that_would_close_it()
    {
        foreach (var value in new[] { "a&b <c> 50%", "it's \"q\"" })
        {
            var (output, diagnostics) = Substitute("<?xml version=\"1.0\"?>\n<r><?app key=VAULT://v ?></r>", "a.xml", value);
            Assert.AreEqual(0, diagnostics.Count, string.Join("\n", diagnostics));
            var pi = XDocument.Parse(output).Root!.Nodes().OfType<XProcessingInstruction>().Single();
            Assert.AreEqual($"key={value} ", pi.Data, "no entity escaping inside a PI");
        }

        var (_, refused) = Substitute("<r><?app VAULT://v ?></r>", "a.xml", "x ?> y");
        Assert.AreEqual("CM4105", refused.Single().Code);
    }

    [TestMethod]
    public void Xml_refuses_control_characters_it_cannot_represent_with_CM4002()
    {
        foreach (var value in new[] { "ctrl\u0001", "nul\0byte", "esc\u001b[0m", "lone\uD800surrogate" })
        {
            var (_, diagnostics) = Substitute("<a>VAULT://v</a>", "a.xml", value);
            var error = diagnostics.Single();
            Assert.AreEqual("CM4002", error.Code);
            Assert.AreEqual("VAULT://v", error.TokenName);
            Assert.IsFalse(error.Message.Contains(value, StringComparison.Ordinal));
        }
    }

    [TestMethod]
    public void Yaml_scalar_positions_read_back_exactly()
    {
        const string source = """
            # config
            plain: VAULT://v
            double: "VAULT://v"
            single: 'VAULT://v'
            embedded: pre VAULT://v post
            dq_embedded: "pre \\ 'VAULT://v' post"
            sq_embedded: 'it''s VAULT://v'
            commented: VAULT://v # trailing comment
            list:
              - VAULT://v
              - "VAULT://v"
            flow: [VAULT://v , x]
            flowmap: {k: VAULT://v }
            after: end
            """;
        foreach (var value in HardValues.Concat(ControlValues).Where(v => !v.Contains('\uD800', StringComparison.Ordinal)))
        {
            var (output, diagnostics) = Substitute(source, "config.yaml", value);
            Assert.AreEqual(0, diagnostics.Count, Show(value) + string.Join("\n", diagnostics));
            var root = LoadYaml(output, value);
            Assert.AreEqual(value, Scalar(root, "plain"), Show(value) + "\n" + output);
            Assert.AreEqual(value, Scalar(root, "double"), Show(value) + "\n" + output);
            Assert.AreEqual(value, Scalar(root, "single"), Show(value) + "\n" + output);
            Assert.AreEqual("pre " + value + " post", Scalar(root, "embedded"), Show(value) + "\n" + output);
            Assert.AreEqual("pre \\ '" + value + "' post", Scalar(root, "dq_embedded"), Show(value) + "\n" + output);
            Assert.AreEqual("it's " + value, Scalar(root, "sq_embedded"), Show(value) + "\n" + output);
            Assert.AreEqual(value, Scalar(root, "commented"), Show(value) + "\n" + output);
            var list = (YamlSequenceNode)root.Children[new YamlScalarNode("list")];
            Assert.AreEqual(value, ((YamlScalarNode)list.Children[0]).Value, Show(value) + "\n" + output);
            Assert.AreEqual(value, ((YamlScalarNode)list.Children[1]).Value, Show(value) + "\n" + output);
            var flow = (YamlSequenceNode)root.Children[new YamlScalarNode("flow")];
            Assert.AreEqual(value, ((YamlScalarNode)flow.Children[0]).Value, Show(value) + "\n" + output);
            Assert.AreEqual("x", ((YamlScalarNode)flow.Children[1]).Value, Show(value) + "\n" + output);
            var map = (YamlMappingNode)root.Children[new YamlScalarNode("flowmap")];
            Assert.AreEqual(value, ((YamlScalarNode)map.Children[new YamlScalarNode("k")]).Value, Show(value) + "\n" + output);
            Assert.AreEqual("end", Scalar(root, "after"));
        }
    }

    [TestMethod]
    public void Yaml_comment_or_folded_block_refuses_a_line_break_with_CM4003()
    {
        var (_, diagnostics) = Substitute("# see VAULT://v\nk: >\n  VAULT://v\nok: VAULT://v\n", "a.yaml", "two\nlines");
        CollectionAssert.AreEqual(new[] { ("CM4003", 1), ("CM4003", 3) }, diagnostics.Select(d => (d.Code, d.Line)).ToArray());
        Assert.AreEqual("# see one-line\nk: >\n  one-line\nok: one-line\n",
            Substitute("# see VAULT://v\nk: >\n  VAULT://v\nok: VAULT://v\n", "a.yaml", "one-line").Output);
    }

    [TestMethod]
    public void Yaml_plain_scalar_that_would_change_type_is_quoted()
    {
        foreach (var value in new[] { "true", "123", "null", "~", "", "0x1F", "1e3", "yes", "off" })
        {
            var (output, _) = Substitute("k: VAULT://v\n", "a.yml", value);
            StringAssert.StartsWith(output, "k: \"", Show(value));
            var scalar = (YamlScalarNode)LoadYaml(output, value).Children[new YamlScalarNode("k")];
            Assert.AreEqual(YamlDotNet.Core.ScalarStyle.DoubleQuoted, scalar.Style);
        }

        Assert.AreEqual("k: hello-world\n", Substitute("k: VAULT://v\n", "a.yml", "hello-world").Output);
    }

    [TestMethod]
    public void Yaml_literal_block_keeps_multi_line_values_indented()
    {
        const string source = "cert: |\n  VAULT://v\nnext: VAULT://v\n";
        const string value = "-----BEGIN-----\nabc: def\n-----END-----";
        var (output, diagnostics) = Substitute(source, "a.yaml", value);
        Assert.AreEqual(0, diagnostics.Count, string.Join("\n", diagnostics));
        var root = LoadYaml(output, value);
        Assert.AreEqual(value + "\n", Scalar(root, "cert"));
        Assert.AreEqual(value, Scalar(root, "next"));
    }

    [TestMethod]
    public void Yaml_literal_block_in_a_crlf_file_keeps_crlf()
        => Assert.AreEqual("cert: |\r\n  a\r\n  b\r\nx: 1\r\n", Substitute("cert: |\r\n  VAULT://v\r\nx: 1\r\n", "a.yaml", "a\nb").Output);

    [TestMethod]
    public void Text_files_get_the_value_verbatim()
        => Assert.AreEqual("a=x\"y\\z\nb", Substitute("a=VAULT://v\nb", "app.env", "x\"y\\z").Output);

    [TestMethod]
    public void Bytes_outside_tokens_are_preserved_exactly()
    {
        const string source = "\uFEFF{\r\n\t// keep me VAULT-ish\r\n    \"a\" : \"VAULT://v\" , /* block */\r\n\r\n  \"b\":\"  VAULT://v  \"\r\n}";
        var (output, _) = Substitute(source, "x.json", "V");
        Assert.AreEqual(source.Replace("VAULT://v", "V", StringComparison.Ordinal), output);
    }

    [TestMethod]
    public void Json_context_is_right_after_comments_that_hold_quotes()
    {
        // With a block comment the whole text is walked; without one only the token lines are.
        foreach (var source in new[]
                 {
                     "{\n  /* a \"quote\n  spanning lines */ \"a\": \"VAULT://v\",\n  // it's \"odd\n  \"b\": [\"x\", \"VAULT://v\"]\n}",
                     "{\n  // a \"quote\n  \"a\": \"VAULT://v\",\n  // it's \"odd\n  \"b\": [\"x\\\"\", \"VAULT://v\"]\n}",
                 })
        {
            var (output, diagnostics) = Substitute(source, "c.json", "q\"\\");
            Assert.AreEqual(0, diagnostics.Count);
            using var document = JsonDocument.Parse(output, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            Assert.AreEqual("q\"\\", document.RootElement.GetProperty("a").GetString(), source);
            Assert.AreEqual("q\"\\", document.RootElement.GetProperty("b")[1].GetString(), source);
        }
    }

    [TestMethod]
    public void Format_comes_from_the_extension_or_the_declared_format()
    {
        Assert.AreEqual(DocumentFormat.Json, DocumentFormatDetection.Detect("appsettings.Production.JSON"));
        Assert.AreEqual(DocumentFormat.Xml, DocumentFormatDetection.Detect("web.config"));
        Assert.AreEqual(DocumentFormat.Xml, DocumentFormatDetection.Detect("app.csproj"));
        Assert.AreEqual(DocumentFormat.Yaml, DocumentFormatDetection.Detect("x.yml"));
        Assert.AreEqual(DocumentFormat.Yaml, DocumentFormatDetection.Detect("input.yml.cm"));
        Assert.AreEqual(DocumentFormat.Text, DocumentFormatDetection.Detect(".env"));
        Assert.AreEqual(DocumentFormat.Json, DocumentFormatDetection.Detect("x.txt", DocumentFormat.Json));
    }

    [TestMethod]
    public void Structured_values_are_injected_only_when_opted_in_and_the_token_is_the_whole_string()
    {
        const string value = """{"user":"alice","list":[1,"two"]}""";
        const string json = """{"a":"VAULT://v","b":"x VAULT://v"}""";
        var (plain, _) = Substitute(json, "a.json", value);
        Assert.AreEqual(value, JsonDocument.Parse(plain).RootElement.GetProperty("a").GetString());
        var (injected, diagnostics) = Substitute(json, "a.json", value, inject: true);
        Assert.AreEqual(0, diagnostics.Count);
        using var document = JsonDocument.Parse(injected);
        Assert.AreEqual("alice", document.RootElement.GetProperty("a").GetProperty("user").GetString());
        Assert.AreEqual("x " + value, document.RootElement.GetProperty("b").GetString());
        Assert.AreEqual("\"not-json\"", Substitute("\"VAULT://v\"", "s.json", "not-json", inject: true).Output);

        var (yaml, _) = Substitute("a: VAULT://v\nb: \"VAULT://v\"\nc: 'VAULT://v'\n", "a.yaml", value, inject: true);
        var root = LoadYaml(yaml, value);
        foreach (var key in new[] { "a", "b", "c" })
        {
            var mapping = (YamlMappingNode)root.Children[new YamlScalarNode(key)];
            Assert.AreEqual("alice", ((YamlScalarNode)mapping.Children[new YamlScalarNode("user")]).Value, yaml);
            Assert.AreEqual("two", ((YamlScalarNode)((YamlSequenceNode)mapping.Children[new YamlScalarNode("list")]).Children[1]).Value, yaml);
        }
    }

    private static YamlMappingNode LoadYaml(string output, string value)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(output));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            Assert.Fail($"YAML for {Show(value)} did not parse: {e.Message}\n{output}");
        }

        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlMappingNode root, string key) => ((YamlScalarNode)root.Children[new YamlScalarNode(key)]).Value;
}
