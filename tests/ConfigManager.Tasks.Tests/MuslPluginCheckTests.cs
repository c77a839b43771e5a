using ConfigManager.Core;
using ConfigManager.Core.Plugins;
using ConfigManager.Tasks.Plugins;

namespace ConfigManager.Tasks.Tests;

/// <summary>
/// CM4054 before any launch: on a musl host a glibc-linked plugin cannot start. The plugin here is a copy of this
/// machine's /bin/ls (a real glibc executable); the prefixes come from the engine's own scan of the sources.
/// </summary>
[TestClass]
public sealed class MuslPluginCheckTests
{
    [TestMethod]
    public void A_glibc_plugin_on_a_musl_host_is_refused_with_the_musl_RID_to_use()
    {
        var root = Directory.CreateTempSubdirectory("cm-musl-").FullName;
        try
        {
            var plugin = PluginLocator.LayoutPath(root, "AWSSECRETS");
            Directory.CreateDirectory(Path.GetDirectoryName(plugin)!);
            File.Copy("/bin/ls", plugin);
            var locator = new PluginLocator(root, root, root);
            string[] sources = ["{\"A\": \"AWSSECRETS:///app/db|password\", \"B\": \"NOPLUGIN://x\"}"];

            var problems = MuslPluginCheck.Problems(sources, new EngineOptions(), locator, muslHost: true, hostRid: "linux-musl-x64");

            var (message, path) = problems.Single();
            Assert.AreEqual(plugin, path);
            StringAssert.Contains(message, "prefix AWSSECRETS");
            StringAssert.Contains(message, "runtimes/linux-musl-" + GoPlatform.DotnetArch);
            Assert.IsEmpty(MuslPluginCheck.Problems(sources, new EngineOptions(), locator, muslHost: false, hostRid: "linux-x64"));
            Assert.IsEmpty(MuslPluginCheck.Problems(["{\"A\": \"plain\"}"], new EngineOptions(), locator, muslHost: true, hostRid: "linux-musl-x64"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
