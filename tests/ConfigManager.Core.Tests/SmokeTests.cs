namespace ConfigManager.Core.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void Default_options_match_configmanager()
    {
        var options = new EngineOptions();
        Assert.AreEqual("://", options.TokenSeparator);
        Assert.AreEqual('|', options.KeySeparator);
    }
}
