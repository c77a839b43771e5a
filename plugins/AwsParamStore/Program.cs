using ConfigManager.Plugins.AwsParamStore;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk;

var settings = ParamStoreSettings.FromEnvironment();
// AWSSDK.Core's start-up, the credential and region chains and the SSM client are made while the server starts and
// the host handshakes, not in front of the handshake nor behind the first Value call.
using var clients = new SsmClientSource(Task.Run(() => new AwsIdentity()), settings);
using var store = new ParameterStoreTokenStore(settings, clients);
_ = clients.StartWarmUp();
return await PluginServer.RunAsync(store, new PluginServerOptions { Name = "awsparamstr" });
