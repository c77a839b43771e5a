using ConfigManager.Plugins.AzTableStore;
using ConfigManager.PluginSdk;

return await PluginServer.RunAsync(new TableEntityTokenStore(TableClientFactory.FromEnvironment()), new PluginServerOptions { Name = "aztablestore" });
