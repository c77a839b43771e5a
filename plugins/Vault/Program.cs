using ConfigManager.PluginSdk;
using ConfigManager.Plugins.Vault;

using var api = new VaultHttpApi(VaultSettings.FromEnvironment());
return await PluginServer.RunAsync(new VaultKvTokenStore(api), new PluginServerOptions { Name = "vault" });
