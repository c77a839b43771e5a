using ConfigManager.PluginSdk;
using ConfigManager.Plugins.GcpSecrets;

using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
var settings = GcpSettings.FromEnvironment();
var credential = new GoogleAccessTokenSource(settings, http);
return await PluginServer.RunAsync(new SecretManagerTokenStore(settings, credential, http), new PluginServerOptions { Name = "gcpsecrets" });
