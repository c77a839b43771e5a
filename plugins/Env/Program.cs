using ConfigManager.Plugins.Env;
using ConfigManager.PluginSdk;

// ENV makes no outbound TLS connection: AutoMTLS (pinned) need not load the system trust store.
return await PluginServer.RunAsync(new EnvironmentTokenStore(), new PluginServerOptions { Name = "env", SkipSystemTrustStore = true });
