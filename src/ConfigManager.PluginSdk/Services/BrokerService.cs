using ConfigManager.PluginSdk.Rpc;
using ConfigManager.Protocol.GoPlugin;

namespace ConfigManager.PluginSdk.Services;

/// <summary>
/// plugin.GRPCBroker/StartStream: configmanager plugins broker nothing, but hosts always open the stream,
/// so accept it and keep reading until the host or the plugin ends it.
/// </summary>
internal sealed class BrokerService(PluginLifetime lifetime)
{
    public const string StartStream = "/plugin.GRPCBroker/StartStream";

    public async Task StartStreamAsync(GrpcCall call)
    {
        await call.StartResponseAsync().ConfigureAwait(false);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, lifetime.Stopping);
        try
        {
            while (await call.ReadAsync(ConnInfo.Parser, cancellation.Token).ConfigureAwait(false) is not null)
            {
                // Nothing to connect: this plugin never asks for brokered connections.
            }
        }
        catch (OperationCanceledException) when (!call.CancellationToken.IsCancellationRequested)
        {
            // The plugin is stopping: the stream simply ends (OK).
        }
    }
}
