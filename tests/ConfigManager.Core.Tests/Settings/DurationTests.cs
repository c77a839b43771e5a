using ConfigManager.Core.Settings;

namespace ConfigManager.Core.Tests.Settings;

[TestClass]
public sealed class DurationTests
{
    [TestMethod]
    [DataRow("30", 30_000d)]
    [DataRow("2.5", 2_500d)]
    [DataRow("30s", 30_000d)]
    [DataRow("500ms", 500d)]
    [DataRow("2m", 120_000d)]
    [DataRow("1h", 3_600_000d)]
    [DataRow("24h", 86_400_000d)]
    [DataRow("00:01:30", 90_000d)]
    [DataRow(" 5 ", 5_000d)]
    public void Accepted_forms(string text, double milliseconds)
    {
        Assert.IsTrue(Duration.TryParse(text, out var value, out var problem), problem);
        Assert.AreEqual(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [TestMethod]
    [DataRow("1e300")]
    [DataRow("5000000")]
    [DataRow("25h")]
    [DataRow("2.00:00:00")]
    [DataRow("1e308m")]
    public void Longer_than_the_maximum_is_refused_without_overflow(string text)
    {
        Assert.IsFalse(Duration.TryParse(text, out _, out var problem));
        StringAssert.Contains(problem, "maximum of 24 hours");
    }

    [TestMethod]
    [DataRow("Infinity")]
    [DataRow("-Infinity")]
    [DataRow("NaN")]
    [DataRow("0")]
    [DataRow("-5")]
    [DataRow("0.0001ms")]
    [DataRow("soon")]
    [DataRow("")]
    [DataRow("1,5")]
    [DataRow("-00:00:01")]
    public void Not_a_positive_duration_is_refused(string text)
    {
        Assert.IsFalse(Duration.TryParse(text, out _, out var problem));
        StringAssert.Contains(problem, text.Trim());
    }
}
