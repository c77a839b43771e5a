using ConfigManager.Plugins.Env;
using ConfigManager.PluginSdk;

return await PluginServer.RunAsync(new EnvironmentTokenStore(), new PluginServerOptions { Name = "env" });
