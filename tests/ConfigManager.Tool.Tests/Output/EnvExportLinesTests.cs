using ConfigManager.Core.Tokens;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool.Tests.Output;

[TestClass]
public sealed class EnvExportLinesTests
{
    private static ConfigToken Token(string storePath, string keyPath = "", string metadata = "")
        => new($"AWSSECRETS://{storePath}", "AWSSECRETS", storePath, keyPath, metadata, "cli", 1, 1, 0, 1);

    [TestMethod]
    public void Name_is_the_last_path_segment_upper_cased_with_dash_as_underscore()
        => Assert.AreEqual("export SERVICE1_PASSWORD='pw'\n", EnvExportLines.Format([(Token("/appxyz/service1-password"), "pw")], '|'));

    [TestMethod]
    public void Key_separator_becomes_double_underscore()
        => Assert.AreEqual("export DB__PASSWORD='pw'\n", EnvExportLines.Format([(Token("/app/db", "password"), "pw")], '|'));

    [TestMethod]
    public void Custom_key_separator_becomes_double_underscore()
        => Assert.AreEqual("export DB__USER='u'\n", EnvExportLines.Format([(Token("/app/db", "user"), "u")], '#'));

    [TestMethod]
    public void Spaces_at_signs_and_bangs_are_dropped_and_other_invalid_characters_become_underscore()
    {
        Assert.AreEqual("MYNAME", EnvExportLines.VariableName("my @na!me", '|'));
        Assert.AreEqual("A__B_C", EnvExportLines.VariableName("a|b.c", '|'));
        Assert.AreEqual("_9LIVES", EnvExportLines.VariableName("9lives", '|'));
    }

    [TestMethod]
    public void Store_path_without_slash_is_the_name()
        => Assert.AreEqual("export HOME='/root'\n", EnvExportLines.Format([(Token("HOME"), "/root")], '|'));

    [TestMethod]
    public void Metadata_is_not_part_of_the_name()
        => Assert.AreEqual("export DB='v'\n", EnvExportLines.Format([(Token("/app/db", metadata: "version=2"), "v")], '|'));

    [TestMethod]
    public void Single_quote_inside_a_value_is_escaped_for_posix_shells()
        => Assert.AreEqual("export X='it'\\''s'\n", EnvExportLines.Format([(Token("/x"), "it's")], '|'));

    [TestMethod]
    public void Shell_metacharacters_stay_literal_inside_single_quotes()
        => Assert.AreEqual("export X='$HOME `id` \"q\" \\ !'\n", EnvExportLines.Format([(Token("/x"), "$HOME `id` \"q\" \\ !")], '|'));

    [TestMethod]
    public void Json_object_value_expands_to_one_line_per_top_level_key()
    {
        const string json = """{"user":"alice","password":"s3cr3t-json","nested":{"port":5432,"enabled":true},"list":[1,2],"n":5432,"b":false,"z":null,"some-key":"o'k"}""";
        var lines = EnvExportLines.LinesFor(Token("/json/x"), json, '|');
        CollectionAssert.AreEqual(
            new[]
            {
                "export USER='alice'",
                "export PASSWORD='s3cr3t-json'",
                "export NESTED='{\"port\":5432,\"enabled\":true}'",
                "export LIST='[1,2]'",
                "export N=5432",
                "export B=false",
                "export Z=''",
                "export SOME_KEY='o'\\''k'",
            },
            lines.ToArray());
    }

    [TestMethod]
    public void Json_array_or_scalar_value_is_one_line()
    {
        Assert.AreEqual("export X='[1,2]'", EnvExportLines.LinesFor(Token("/x"), "[1,2]", '|').Single());
        Assert.AreEqual("export X='42'", EnvExportLines.LinesFor(Token("/x"), "42", '|').Single());
        Assert.AreEqual("export X='{not json'", EnvExportLines.LinesFor(Token("/x"), "{not json", '|').Single());
    }

    [TestMethod]
    public void Lines_keep_token_order_and_end_with_newline()
        => Assert.AreEqual(
            "export A='1'\nexport B='2'\n",
            EnvExportLines.Format([(Token("/a"), "1"), (Token("/b"), "2")], '|'));

    [TestMethod]
    public void Output_sourced_by_sh_gives_back_the_exact_values()
    {
        const string tricky = "a'b\"c$d`e\\f\ng h!*";
        var env = EnvExportLines.Format([(Token("/tricky-value"), tricky)], '|');
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", env + "printf %s \"$TRICKY_VALUE\""]) { RedirectStandardOutput = true };
        using var sh = System.Diagnostics.Process.Start(psi)!;
        var output = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        Assert.AreEqual(tricky, output);
    }

    [TestMethod]
    [DataRow("PATH")]
    [DataRow("LD_PRELOAD")]
    [DataRow("LD_LIBRARY_PATH")]
    [DataRow("BASH_ENV")]
    [DataRow("ENV")]
    [DataRow("PS4")]
    [DataRow("IFS")]
    [DataRow("PROMPT_COMMAND")]
    [DataRow("DYLD_INSERT_LIBRARIES")]
    [DataRow("BASH_FUNC_LS%%")]
    [DataRow("NODE_OPTIONS")]
    [DataRow("DOTNET_STARTUP_HOOKS")]
    public void Shell_and_loader_variables_are_sensitive(string name) => Assert.IsTrue(ShellSensitiveVariables.IsSensitive(name));

    [TestMethod]
    [DataRow("DB_PASSWORD")]
    [DataRow("PATHS")]
    [DataRow("MY_PATH")]
    [DataRow("USER")]
    public void Ordinary_variables_are_not_sensitive(string name) => Assert.IsFalse(ShellSensitiveVariables.IsSensitive(name));

    [TestMethod]
    public void Each_sensitive_name_of_a_json_secret_gets_one_warning_naming_the_token_not_the_value()
    {
        var warnings = ShellSensitiveVariables.Check([(Token("/app/env"), "{\"PATH\":\"/evil\",\"ld-preload\":\"x.so\",\"user\":\"u\"}")], '|');

        CollectionAssert.AreEqual(new[] { "CM4106", "CM4106" }, warnings.Select(w => w.Code).ToArray());
        StringAssert.Contains(warnings[0].Message, "sets PATH,");
        StringAssert.Contains(warnings[1].Message, "sets LD_PRELOAD,");
        Assert.IsFalse(warnings.Any(w => w.Message.Contains("evil", StringComparison.Ordinal) || w.Message.Contains("x.so", StringComparison.Ordinal)));
        Assert.AreEqual(0, ShellSensitiveVariables.Check([(Token("/app/db", "password"), "pw")], '|').Count);
    }
}
