using ConfigManager.Plugins.TestPlugin;
using ConfigManager.PluginSdk;

// CMTEST_MODE: start-up misbehaviours that host tests provoke on purpose (see the test-plugin contract).
if (StartupMisbehaviour.Run(Environment.GetEnvironmentVariable("CMTEST_MODE")) is { } exitCode)
{
    return exitCode;
}

// The test plugin makes no outbound TLS connection (see PluginServerOptions.SkipSystemTrustStore).
return await PluginServer.RunAsync(new TestTokenStore(), new PluginServerOptions { Name = "cstest", SkipSystemTrustStore = true });
