using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Tests.Tokens;

[TestClass]
public sealed class TokenScannerTests
{
    private static readonly TokenGrammar s_default = TokenGrammar.Create(new EngineOptions());

    private static ScanResult Scan(string text, TokenGrammar? grammar = null) => TokenScanner.Scan(text, "test.txt", grammar ?? s_default);

    private static void AssertTokens(string text, params (string Prefix, string Path, string Key)[] expected)
        => AssertTokens(text, s_default, expected);

    private static void AssertTokens(string text, TokenGrammar grammar, params (string Prefix, string Path, string Key)[] expected)
    {
        var result = Scan(text, grammar);
        Assert.AreEqual(0, result.Diagnostics.Count, string.Join("\n", result.Diagnostics));
        CollectionAssert.AreEqual(
            expected.Select(e => $"{e.Prefix} {e.Path} {e.Key}").ToList(),
            result.Tokens.Select(t => $"{t.Prefix} {t.StorePath} {t.KeyPath}").ToList());
        foreach (var token in result.Tokens)
        {
            Assert.AreEqual(token.Text, text.Substring(token.Start, token.Length), "span must be exact");
        }
    }

    [TestMethod]
    public void Tokens_touching_after_a_key_path_are_two_tokens() => AssertTokens(
        "foo stuyfsdfsf\n\t\tfoo=AWSPARAMSTR:///path|keyAWSSECRETS:///foo\n\t\tother text her\n\t\tBAR=something\n",
        ("AWSPARAMSTR", "/path", "key"), ("AWSSECRETS", "/foo", ""));

    [TestMethod]
    public void Tokens_touching_after_metadata_are_two_tokens()
    {
        AssertTokens(
            "foo stuyfsdfsf\n\t\tfoo=AWSPARAMSTR:///path|key[meta=val]AWSSECRETS:///foo\n\t\tother text her\n",
            ("AWSPARAMSTR", "/path", "key"), ("AWSSECRETS", "/foo", ""));
        Assert.AreEqual("meta=val", Scan("AWSPARAMSTR:///path|key[meta=val]AWSSECRETS:///foo").Tokens[0].Metadata);
    }

    [TestMethod]
    public void Tokens_touching_without_key_path_are_two_tokens_and_near_miss_prefixes_are_text() => AssertTokens(
        "foo stuyfsdfsf GCFOO VAbarAWbuX AZmore\n\t\tfoo=AWSPARAMSTR:///pathAWSSECRETS:///foo\n\t\tother text her\n",
        ("AWSPARAMSTR", "/path", ""), ("AWSSECRETS", "/foo", ""));

    [TestMethod]
    public void Url_like_text_yields_every_embedded_token()
    {
        const string url = "proto://AWSPARAMSTR:///config|user:AWSSECRETS:///creds|password@AWSPARAMSTR:///config|endpoint:AWSPARAMSTR:///config|port/?queryParam1=123&queryParam2=AWSPARAMSTR:///config|qp2";
        (string, string, string)[] expected =
        [
            ("AWSPARAMSTR", "/config", "user"), ("AWSSECRETS", "/creds", "password"), ("AWSPARAMSTR", "/config", "endpoint"),
            ("AWSPARAMSTR", "/config", "port"), ("AWSPARAMSTR", "/config", "qp2"),
        ];
        AssertTokens(url, expected);
        AssertTokens("foo stuyfsdfsf\n\t\tfoo=" + url + "\n\t\t# some comment\n\t\tBAR=something\n", expected);
    }

    [TestMethod]
    public void Token_at_end_of_text_is_complete() => AssertTokens("AWSPARAMSTR:///config|qp2", ("AWSPARAMSTR", "/config", "qp2"));

    [TestMethod]
    public void Token_ends_at_each_end_character()
    {
        foreach (var end in new[] { " ", "\t", "\r\n", "\n", "\"", "'", "@", "?", ":", "/?" })
        {
            var result = Scan("x=AWSSECRETS:///a/b|k" + end + "rest");
            Assert.AreEqual(1, result.Tokens.Count, $"end {end}");
            Assert.AreEqual("AWSSECRETS:///a/b|k", result.Tokens[0].Text, $"end {end}");
        }
    }

    [TestMethod]
    public void Slash_not_followed_by_question_mark_is_part_of_the_path()
        => AssertTokens("AWSSECRETS:///a/b/", ("AWSSECRETS", "/a/b/", ""));

    [TestMethod]
    public void Near_miss_prefixes_are_not_tokens()
    {
        foreach (var text in new[] { "AWS", "AZmore", "GCFOO", "VAbar", "AWSSECRETS", "AWSSECRETS:/x", "AWSSECRETS//x", "awssecrets:///x", "VAUL://x", "GCPPARAMSTR:///x" })
        {
            var result = Scan(text);
            Assert.AreEqual(0, result.Tokens.Count, text);
            Assert.AreEqual(0, result.Diagnostics.Count, text);
        }
    }

    [TestMethod]
    public void Every_known_prefix_is_recognised()
    {
        var text = string.Join("\n", KnownPrefixes.All.Select(p => $"{p.ToLowerInvariant()}: {p}:///djsfsdkjvfjkhfdvibdfinjdsfnjvdsflj"));
        AssertTokens(text, KnownPrefixes.All.Select(p => (p, "/djsfsdkjvfjkhfdvibdfinjdsfnjvdsflj", "")).ToArray());
    }

    [TestMethod]
    public void Prefix_embedded_in_a_word_starts_a_token()
        => AssertTokens("during the  :=> embedded in text RenaissanceAWSPARAMSTR:///djsfl5 embedded in text <=:", ("AWSPARAMSTR", "/djsfl5", ""));

    [TestMethod]
    public void Tokens_in_prose_are_found_in_quotes_and_at_line_ends()
    {
        const string text = """
            Lorem Ipsum is AWSPARAMSTR:///djsf1 <= in middle of sentencenot simply random text.
             onsectetur, at the end of line => AWSPARAMSTR:///djsf4
             ons in singles =>'AWSPARAMSTR:///djsf2'1.10.32 and 1.10.33 of "de Finibus Bonorum et Malorum"
             in doubles => "AWSPARAMSTR:///djsf3"
            """;
        AssertTokens(text, ("AWSPARAMSTR", "/djsf1", ""), ("AWSPARAMSTR", "/djsf4", ""), ("AWSPARAMSTR", "/djsf2", ""), ("AWSPARAMSTR", "/djsf3", ""));
    }

    [TestMethod]
    public void Unknown_prefix_is_ignored_and_wrong_separator_is_not_a_token() => AssertTokens(
        "foo: AWSPARAMSTR:///djsflj\n bar: AWSPARAMSTR://bar/djsflj[version=123]\n unknown: GCPPARAMSTR:///djsflj\n unknown: GCPSECRETS#/djsflj",
        ("AWSPARAMSTR", "/djsflj", ""), ("AWSPARAMSTR", "bar/djsflj", ""));

    [TestMethod]
    public void Custom_token_separator_hash_is_honoured()
    {
        var grammar = TokenGrammar.Create(new EngineOptions { TokenSeparator = "#" });
        AssertTokens(
            "Lorem_Ipsum: AWSPARAMSTR#/path/config|foo.user:AWSPARAMSTR#/path/config|password@AWSPARAMSTR#path_config|foo.port/?someQ=AWSPARAMSTR#/path/queryparam|p1[version=123]&anotherQ=false",
            grammar,
            ("AWSPARAMSTR", "/path/config", "foo.user"), ("AWSPARAMSTR", "/path/config", "password"),
            ("AWSPARAMSTR", "path_config", "foo.port"), ("AWSPARAMSTR", "/path/queryparam", "p1"));
        Assert.AreEqual(0, Scan("AWSPARAMSTR:///x", grammar).Tokens.Count);
    }

    [TestMethod]
    public void Custom_key_separator_is_honoured()
    {
        var grammar = TokenGrammar.Create(new EngineOptions { KeySeparator = '#' });
        AssertTokens("VAULT://secret/app#db.password", grammar, ("VAULT", "secret/app", "db.password"));
        AssertTokens("VAULT://secret/app|db", grammar, ("VAULT", "secret/app|db", ""));
    }

    [TestMethod]
    public void Metadata_is_the_raw_text_between_brackets()
    {
        var cases = new (string Text, string Path, string Key, string Metadata)[]
        {
            ("AWSSECRETS:///foo[version=1.2.3]", "/foo", "", "version=1.2.3"),
            ("AWSSECRETS:///foo[version=1.2.3]\n", "/foo", "", "version=1.2.3"),
            ("AWSSECRETS:///foo|path.one[version=1.2.3]", "/foo", "path.one", "version=1.2.3"),
            ("someQ=AWSPARAMSTR:///path/queryparam|p1[version=1.2.3]&anotherQ", "/path/queryparam", "p1", "version=1.2.3"),
            ("META_INCLUDED=VAULT://baz/bar/123|key1.prop2[role=arn:aws:iam::1111111:role,version=1082313]\n", "baz/bar/123", "key1.prop2", "role=arn:aws:iam::1111111:role,version=1082313"),
            // configmanager's README examples of provider metadata.
            ("VAULT://baz/bar/123|d88[role=arn:aws:iam::1111111:role/i-orchestration,version=1082313]", "baz/bar/123", "d88", "role=arn:aws:iam::1111111:role/i-orchestration,version=1082313"),
            ("AZAPPCONF://baz/bar/123|d88[label=dev,etag=aaaaa1082313]", "baz/bar/123", "d88", "label=dev,etag=aaaaa1082313"),
            ("GCPSECRETS://baz/bar/123|d88[version=verUUID0000-1123zss]", "baz/bar/123", "d88", "version=verUUID0000-1123zss"),
        };
        foreach (var c in cases)
        {
            var result = Scan(c.Text);
            Assert.AreEqual(0, result.Diagnostics.Count, c.Text);
            var token = result.Tokens.Single();
            Assert.AreEqual((c.Path, c.Key, c.Metadata), (token.StorePath, token.KeyPath, token.Metadata), c.Text);
            Assert.IsTrue(token.Text.EndsWith(']'), c.Text);
        }
    }

    [TestMethod]
    public void Unclosed_metadata_is_error_CM1002_with_position()
    {
        foreach (var text in new[] { "AWSSECRETS:///foo[version=1.2.3", "AWSSECRETS:///foo|path.one[version=1.2.3", "x\n  AWSSECRETS:///foo|path.one[version=1.2.3\n  more content here\n", "\"AWSSECRETS:///foo[v=1\"" })
        {
            var result = Scan(text);
            var error = result.Diagnostics.Single();
            Assert.AreEqual("CM1002", error.Code, text);
            Assert.AreEqual(0, result.Tokens.Count, text);
            var expectedLine = text.StartsWith('x') ? 2 : 1;
            Assert.AreEqual(expectedLine, error.Line, text);
            Assert.AreEqual(text.StartsWith('x') ? 3 : text.StartsWith('"') ? 2 : 1, error.Column, text);
            Assert.AreEqual("test.txt", error.File);
            StringAssert.StartsWith(error.TokenName, "AWSSECRETS:///foo");
        }
    }

    [TestMethod]
    public void Empty_metadata_is_error_CM1001()
    {
        foreach (var text in new[] { "AWSSECRETS:///foo|path.one[]", "AWSSECRETS:///foo[]" })
        {
            var result = Scan(text);
            Assert.AreEqual("CM1001", result.Diagnostics.Single().Code, text);
            Assert.AreEqual(0, result.Tokens.Count);
        }
    }

    [TestMethod]
    public void Every_grammar_error_of_a_text_is_reported_together()
    {
        var result = Scan("a: AWSSECRETS:///a[]\nb: AWSSECRETS:///b[v=1\nc: AWSSECRETS://\nd: VAULT://x|\ne: VAULT://ok");
        CollectionAssert.AreEqual(new[] { "CM1001", "CM1002", "CM1003", "CM1004" }, result.Diagnostics.Select(d => d.Code).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4 }, result.Diagnostics.Select(d => d.Line).ToArray());
        Assert.IsTrue(result.Diagnostics.All(d => d.Column == 4));
        Assert.AreEqual("VAULT://ok", result.Tokens.Single().Text);
    }

    [TestMethod]
    public void Line_and_column_are_one_based_and_count_crlf_lines()
    {
        const string text = "\uFEFF{\r\n  \"a\": \"AWSSECRETS:///a\",\r\n\t\"b\": \"x VAULT://b\" }";
        var tokens = Scan(text).Tokens;
        Assert.AreEqual((2, 9), (tokens[0].Line, tokens[0].Column));
        Assert.AreEqual((3, 10), (tokens[1].Line, tokens[1].Column));
        Assert.AreEqual(text.IndexOf("AWSSECRETS", StringComparison.Ordinal), tokens[0].Start);
        Assert.AreEqual("AWSSECRETS:///a".Length, tokens[0].Length);
    }

    [TestMethod]
    public void Extra_prefixes_are_recognised_without_code_changes()
    {
        var grammar = TokenGrammar.Create(new EngineOptions { ExtraPrefixes = ["GOTEST", "CSTEST", "X1"] });
        AssertTokens("a=GOTEST://echo/a b=CSTEST://json/x|user cX1://y", grammar,
            ("GOTEST", "echo/a", ""), ("CSTEST", "json/x", "user"), ("X1", "y", ""));
        Assert.AreEqual(0, Scan("GOTEST://echo/a").Tokens.Count, "not a prefix unless configured");
    }

    [TestMethod]
    public void Invalid_options_fail_with_grammar_codes()
    {
        Assert.AreEqual("CM1010", Assert.ThrowsExactly<ConfigManager.Core.Diagnostics.ConfigManagerException>(
            () => TokenGrammar.Create(new EngineOptions { TokenSeparator = "" })).Code);
        Assert.AreEqual("CM1011", Assert.ThrowsExactly<ConfigManager.Core.Diagnostics.ConfigManagerException>(
            () => TokenGrammar.Create(new EngineOptions { KeySeparator = ' ' })).Code);
        Assert.AreEqual("CM1012", Assert.ThrowsExactly<ConfigManager.Core.Diagnostics.ConfigManagerException>(
            () => TokenGrammar.Create(new EngineOptions { ExtraPrefixes = ["lower"] })).Code);
    }

    [TestMethod]
    [DataRow(':')]
    [DataRow('"')]
    [DataRow('\'')]
    [DataRow('@')]
    [DataRow('?')]
    [DataRow('<')]
    [DataRow('\u0001')]
    public void A_key_separator_that_ends_a_token_is_refused(char key)
    {
        // With such a separator the scanner stops the token there, so no key look-up could ever happen.
        var refused = Assert.ThrowsExactly<ConfigManager.Core.Diagnostics.ConfigManagerException>(
            () => TokenGrammar.Create(new EngineOptions { KeySeparator = key }));
        Assert.AreEqual("CM1011", refused.Code);
        Assert.IsFalse(TokenGrammar.IsValidKeySeparator(key));
    }

    [TestMethod]
    [DataRow('|')]
    [DataRow('#')]
    [DataRow(';')]
    [DataRow('~')]
    [DataRow('!')]
    public void Every_accepted_key_separator_reaches_a_key(char key)
    {
        var grammar = TokenGrammar.Create(new EngineOptions { KeySeparator = key });
        AssertTokens($"AWSSECRETS:///app/db{key}password", grammar, ("AWSSECRETS", "/app/db", "password"));
    }

    [TestMethod]
    public void In_xml_a_token_also_ends_at_a_tag_or_cdata_end()
    {
        var xml = TokenScanner.Scan("<a>VAULT://x/y|k</a><b><![CDATA[VAULT://z]]></b>", "web.config", s_default).Tokens;
        CollectionAssert.AreEqual(new[] { "VAULT://x/y|k", "VAULT://z" }, xml.Select(t => t.Text).ToArray());
        Assert.AreEqual("VAULT://x<y", TokenScanner.Scan("VAULT://x<y", "a.json", s_default).Tokens.Single().Text, "elsewhere '<' is path text, as in configmanager");
        Assert.AreEqual("VAULT://x", TokenScanner.Scan("VAULT://x<y", "a.txt", s_default, DocumentFormat.Xml).Tokens.Single().Text, "the declared format wins");
    }

    [TestMethod]
    public void Empty_text_has_no_tokens()
    {
        var result = Scan("");
        Assert.AreEqual(0, result.Tokens.Count);
        Assert.IsTrue(result.Succeeded);
    }
}
