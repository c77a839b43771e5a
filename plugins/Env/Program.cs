using ConfigManager.PluginSdk;
using ConfigManager.Plugins.Env;

return await PluginServer.RunAsync(new EnvironmentTokenStore(), new PluginServerOptions { Name = "env" });
