using System.Runtime.Versioning;
using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.TestSupport;

// The suite drives real plugin processes over Unix sockets and /proc: Linux only.
[assembly: SupportedOSPlatform("linux")]

namespace ConfigManager.PluginSdk.Tests;

/// <summary>Run-wide checks: no plugin process outlives the suite.</summary>
[TestClass]
public static class AssemblySetup
{
    [AssemblyCleanup]
    public static async Task No_plugin_process_is_left_running()
    {
        // Give killed processes a moment to be reaped.
        await Task.Delay(200);
        foreach (var plugin in new[] { CSharpPlugin.Env, CSharpPlugin.AzTableStore, CSharpPlugin.TestPlugin })
        {
            var left = ProcessTable.Running(CSharpPlugins.PathOf(plugin));
            Assert.IsEmpty(left, $"{plugin.Prefix} plugin processes left running: {string.Join(", ", left)}");
        }

        var children = ProcessTable.LiveChildrenOf(Environment.ProcessId);
        Assert.IsEmpty(children, "child processes left running: " + string.Join(", ", children));
    }
}
