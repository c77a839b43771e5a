using ConfigManager.Plugins.AwsParamStore;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk;

var settings = ParamStoreSettings.FromEnvironment();
using var clients = new SsmClientSource(new AwsIdentity(), settings);
using var store = new ParameterStoreTokenStore(settings, clients);
clients.StartWarmUp();
return await PluginServer.RunAsync(store, new PluginServerOptions { Name = "awsparamstr" });
