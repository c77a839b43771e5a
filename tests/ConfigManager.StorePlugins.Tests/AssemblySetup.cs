using System.Runtime.Versioning;
using ConfigManager.TestSupport;

// Real plugin processes over Unix sockets, emulators and local servers on loopback: Linux only.
[assembly: SupportedOSPlatform("linux")]
// One class at a time: the Key Vault and Vault classes set plugin-facing variables (SSL_CERT_FILE, proxies, VAULT_*) process-wide.
[assembly: DoNotParallelize]

namespace ConfigManager.StorePlugins.Tests;

/// <summary>Run-wide checks: no store plugin process outlives the suite.</summary>
[TestClass]
public static class AssemblySetup
{
    [AssemblyCleanup]
    public static void No_plugin_process_is_left_running()
    {
        foreach (var plugin in new[]
        {
            CSharpPlugin.AwsSecrets, CSharpPlugin.AwsParamStore, CSharpPlugin.AzKeyVault,
            CSharpPlugin.AzAppConfig, CSharpPlugin.Vault, CSharpPlugin.GcpSecrets,
        })
        {
            ProcessTable.AssertNoneRunning(CSharpPlugins.PathOf(plugin));
        }
    }
}
