using ConfigManager.Plugins.AwsSecrets;
using ConfigManager.Plugins.AwsSecrets.Api;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Logging;
using ConfigManager.PluginSdk.Stores;

var settings = SecretsSettings.FromEnvironment();
using var http = StoreHttp.CreateClient();
// AWSSDK.Core's start-up is the slowest part of launching: overlap it with serving rather than delay the handshake.
var identity = Task.Run(() => new AwsIdentity());
var api = new SecretsManagerApi(http, new SecretsTarget(identity));
using var store = new SecretsTokenStore(api, settings, retry: null, new PluginLogger("awssecrets"));
return await PluginServer.RunAsync(store, new PluginServerOptions { Name = "awssecrets" });
