using ConfigManager.Plugins.AzAppConfig;
using ConfigManager.PluginSdk;

return await PluginServer.RunAsync(AppConfigTokenStore.FromEnvironment(), new PluginServerOptions { Name = "azappconf" });
