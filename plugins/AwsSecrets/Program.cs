using ConfigManager.Plugins.AwsSecrets;
using ConfigManager.Plugins.AwsSecrets.Api;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Logging;

var settings = SecretsSettings.FromEnvironment();
// AWSSDK.Core's start-up, the credential and region chains, the CA bundle (AWS_CA_BUNDLE or the profile's ca_bundle)
// and the first signing are done while the server starts and the host handshakes, not in front of the handshake nor
// behind the first Value call.
var identity = Task.Run(() => new AwsIdentity());
var http = Task.Run(() => AwsCaBundle.CreateClient());
using var api = new SecretsManagerApi(http, new SecretsTarget(identity));
_ = api.WarmUpAsync();
using var store = new SecretsTokenStore(api, settings, retry: null, new PluginLogger("awssecrets"));
return await PluginServer.RunAsync(store, new PluginServerOptions { Name = "awssecrets" });
