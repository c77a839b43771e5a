using ConfigManager.PluginSdk;
using ConfigManager.Plugins.AzTableStore;

return await PluginServer.RunAsync(new TableEntityTokenStore(TableClientFactory.FromEnvironment()), new PluginServerOptions { Name = "aztablestore" });
