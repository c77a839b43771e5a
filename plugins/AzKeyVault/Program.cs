using ConfigManager.Plugins.AzKeyVault;
using ConfigManager.PluginSdk;

return await PluginServer.RunAsync(
    new KeyVaultSecretTokenStore(new KeyVaultSecretReader(SecretClientFactory.FromEnvironment())),
    new PluginServerOptions { Name = "azkvsecret" });
