using ConfigManager.Plugins.AwsSecrets;
using ConfigManager.Plugins.AwsSecrets.Api;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Logging;
using ConfigManager.PluginSdk.Stores;

var settings = SecretsSettings.FromEnvironment();
using var http = StoreHttp.CreateClient();
var api = new SecretsManagerApi(http, new SecretsTarget(new AwsIdentity()));
using var store = new SecretsTokenStore(api, settings, retry: null, new PluginLogger("awssecrets"));
return await PluginServer.RunAsync(store, new PluginServerOptions { Name = "awssecrets" });
