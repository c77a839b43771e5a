using ConfigManager.Core.Plugins;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Tests.Plugins;

/// <summary>The one prefix-name rule, as tokens write it and in any case (folders, init, packaged-plugin items).</summary>
[TestClass]
public sealed class PluginPrefixTests
{
    [TestMethod]
    [DataRow("AWSSECRETS", true, true)]
    [DataRow("GCP2", true, true)]
    [DataRow("awsSecrets", false, true)]
    [DataRow("2FA", false, false)]
    [DataRow("", false, false)]
    [DataRow(null, false, false)]
    [DataRow("../x", false, false)]
    [DataRow("/abs/zz", false, false)]
    [DataRow("A-B", false, false)]
    [DataRow("A_B", false, false)]
    [DataRow("\u0131x", false, false)] // dotless i upper-cases to ASCII 'I': refused before upper-casing
    [DataRow("ENV ", false, false)]
    public void One_rule_in_upper_case_and_in_any_case(string? prefix, bool asWritten, bool anyCase)
    {
        Assert.AreEqual(asWritten, PluginPrefix.IsValid(prefix));
        Assert.AreEqual(asWritten, TokenGrammar.IsValidPrefix(prefix));
        Assert.AreEqual(anyCase, PluginPrefix.IsValidInAnyCase(prefix));
    }
}
