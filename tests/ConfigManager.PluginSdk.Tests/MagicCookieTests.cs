using ConfigManager.TestSupport;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>A plugin started by a person (no or wrong cookie) refuses with go-plugin's words and exit code 1.</summary>
[TestClass]
public sealed class MagicCookieTests
{
    private const string GoPluginRefusal =
        "This binary is a plugin. These are not meant to be executed directly.\n" +
        "Please execute the program that consumes these plugins, which will\n" +
        "load any plugins automatically\n";

    [TestMethod]
    [DataRow(null, DisplayName = "missing cookie")]
    [DataRow("configmanager-plugin-goodbye", DisplayName = "wrong cookie")]
    [DataRow("", DisplayName = "empty cookie")]
    public async Task Plugin_without_the_right_cookie_prints_go_plugins_refusal_and_exits_1(string? cookie)
    {
        foreach (var plugin in new[] { await CSharpPlugins.TestPluginAsync(), await CSharpPlugins.EnvPluginAsync() })
        {
            var run = await ChildProcess.RunAsync(plugin, [], TimeSpan.FromSeconds(20), [("CONFIGMANAGER_PLUGIN", cookie)]);

            Assert.AreEqual(1, run.Code, plugin);
            Assert.AreEqual(GoPluginRefusal, run.Stderr, plugin);
            Assert.AreEqual(string.Empty, run.Stdout, "nothing may reach stdout: " + plugin);
        }
    }
}
