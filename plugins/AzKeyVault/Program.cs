using ConfigManager.PluginSdk;
using ConfigManager.Plugins.AzKeyVault;

return await PluginServer.RunAsync(
    new KeyVaultSecretTokenStore(new KeyVaultSecretReader(SecretClientFactory.FromEnvironment())),
    new PluginServerOptions { Name = "azkvsecret" });
