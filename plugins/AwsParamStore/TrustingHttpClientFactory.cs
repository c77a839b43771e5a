using Amazon.Runtime;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsParamStore;

/// <summary>The SSM client's HttpClient (made by the SDK on its first request), trusting exactly the CA bundle (<see cref="CustomCaTrust"/>).</summary>
internal sealed class TrustingHttpClientFactory(CustomCaTrust trust) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = trust.Apply(StoreHttp.CreateHandler());
        if (clientConfig.GetWebProxy() is { } proxy)
        {
            handler.Proxy = proxy;
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100) };
    }
}
