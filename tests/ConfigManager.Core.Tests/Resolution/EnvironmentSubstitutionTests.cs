using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Resolution;

namespace ConfigManager.Core.Tests.Resolution;

[TestClass]
public sealed class EnvironmentSubstitutionTests
{
    private static readonly Dictionary<string, string> s_environment = new() { ["STAGE"] = "prod", ["EMPTY"] = "", ["A_1"] = "x" };

    private static (string Text, List<Diagnostic> Diagnostics) Apply(string text)
    {
        var diagnostics = new List<Diagnostic>();
        var output = EnvironmentSubstitution.Apply(text, "f.json", diagnostics, name => s_environment.GetValueOrDefault(name));
        return (output, diagnostics);
    }

    [TestMethod]
    public void Dollar_name_and_braced_name_are_replaced()
        => Assert.AreEqual("AWSSECRETS:///prod/db x-prod prodx", Apply("AWSSECRETS:///$STAGE/db $A_1-${STAGE} ${STAGE}x").Text);

    [TestMethod]
    public void Braced_defaults_apply_like_the_shell()
    {
        Assert.AreEqual("test test prod dflt", Apply("${MISSING:-test} ${EMPTY:-test} ${STAGE:-x} ${MISSING-dflt}").Text);
        Assert.AreEqual(0, Apply("FOO#/${MISSING:-test}").Diagnostics.Count);
        Assert.AreEqual("CM3010", Apply("${EMPTY-only-when-unset}").Diagnostics.Single().Code);
    }

    [TestMethod]
    public void Double_dollar_is_a_literal_dollar_and_lone_dollar_stays()
        => Assert.AreEqual("$STAGE costs $5 $", Apply("$$STAGE costs $5 $").Text);

    [TestMethod]
    public void Unset_or_empty_variable_is_CM3010_with_position()
    {
        var (_, diagnostics) = Apply("a\n  $MISSING ${EMPTY}");
        CollectionAssert.AreEqual(new[] { "CM3010", "CM3010" }, diagnostics.Select(d => d.Code).ToArray());
        Assert.AreEqual((2, 3), (diagnostics[0].Line, diagnostics[0].Column));
        StringAssert.Contains(diagnostics[0].Message, "MISSING");
        StringAssert.Contains(diagnostics[1].Message, "empty");
    }

    [TestMethod]
    public void Unterminated_brace_is_CM3011()
        => Assert.AreEqual("CM3011", Apply("x ${STAGE").Diagnostics.Single().Code);

    [TestMethod]
    public void Text_without_dollar_is_returned_unchanged()
    {
        const string text = "{ \"a\": 1 }";
        Assert.AreSame(text, Apply(text).Text);
    }
}
