using System.Text.Json;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Substitution;
using ConfigManager.TestSupport;

namespace ConfigManager.Core.Tests.Logging;

[TestClass]
public sealed class SecretMaskTests
{
    [TestMethod]
    public void Added_value_is_replaced_with_stars()
    {
        var mask = new SecretMask();
        mask.Add("hunter22");
        Assert.AreEqual("password=*** again ***", mask.Redact("password=hunter22 again hunter22"));
    }

    [TestMethod]
    public void Escaped_forms_of_a_value_are_masked_too()
    {
        const string value = "p\"a<s>s'w\\o&rd\n2nd-line";
        var mask = new SecretMask();
        mask.Add(value);
        foreach (var form in new[]
                 {
                     value, ValueEscaping.JsonString(value), JsonSerializer.Serialize(value), ValueEscaping.XmlText(value),
                     ValueEscaping.YamlDoubleQuoted(value), ValueEscaping.YamlSingleQuoted(value),
                 })
        {
            var redacted = mask.Redact("log: " + form + " end");
            Assert.IsFalse(redacted.Contains("a<s>s", StringComparison.Ordinal) || redacted.Contains("a&lt;s", StringComparison.Ordinal) || redacted.Contains("a\\u003Cs", StringComparison.Ordinal), redacted);
            StringAssert.Contains(redacted, "***");
        }

        Assert.AreEqual("line: ***", mask.Redact("line: 2nd-line"), "each line of a multi-line value is masked");
    }

    [TestMethod]
    public void Longer_secret_is_masked_whole_before_a_shorter_one_it_contains()
    {
        var mask = new SecretMask();
        mask.Add("abcd");
        mask.Add("abcdefgh");
        Assert.AreEqual("*** ***", mask.Redact("abcdefgh abcd"));
    }

    [TestMethod]
    public void Values_shorter_than_the_minimum_are_not_masked()
    {
        var mask = new SecretMask();
        mask.Add("abc");
        mask.Add("");
        Assert.AreEqual(0, mask.Count);
        Assert.AreEqual("abc", mask.Redact("abc"));
        Assert.AreEqual(4, SecretMask.MinimumLength);
    }

    [TestMethod]
    public void Add_and_redact_are_safe_from_many_threads()
    {
        var mask = new SecretMask();
        Parallel.For(0, 200, i =>
        {
            mask.Add($"secret-{i:D4}");
            Assert.AreEqual("x *** y", mask.Redact($"x secret-{i:D4} y"));
        });
        Assert.AreEqual("***", mask.Redact("secret-0199"));
    }

    [TestMethod]
    public void Redacting_sink_masks_before_the_inner_sink_sees_the_message()
    {
        var mask = new SecretMask();
        var inner = new RecordingLogSink();
        var sink = RedactingLogSink.Over(inner, mask);
        mask.Add("topsecret");
        sink.Log(LogLevel.Warn, "plugin said topsecret");
        Assert.AreEqual((LogLevel.Warn, "plugin said ***"), inner.Entries.Single());
    }
}
