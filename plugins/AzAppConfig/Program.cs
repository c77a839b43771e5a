using ConfigManager.PluginSdk;
using ConfigManager.Plugins.AzAppConfig;

return await PluginServer.RunAsync(AppConfigTokenStore.FromEnvironment(), new PluginServerOptions { Name = "azappconf" });
