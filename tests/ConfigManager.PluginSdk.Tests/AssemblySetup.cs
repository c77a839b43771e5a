using System.Runtime.Versioning;
using ConfigManager.TestSupport;

// The suite drives real plugin processes over Unix sockets and /proc: Linux only.
[assembly: SupportedOSPlatform("linux")]

namespace ConfigManager.PluginSdk.Tests;

/// <summary>Run-wide checks: no plugin process outlives the suite.</summary>
[TestClass]
public static class AssemblySetup
{
    [AssemblyCleanup]
    public static void No_plugin_process_is_left_running()
    {
        foreach (var plugin in new[] { CSharpPlugin.Env, CSharpPlugin.AzTableStore, CSharpPlugin.TestPlugin })
        {
            ProcessTable.AssertNoneRunning(CSharpPlugins.PathOf(plugin));
        }
    }
}
