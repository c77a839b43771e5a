using ConfigManager.Protocol.GoPlugin;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Services;

/// <summary>
/// plugin.GRPCBroker/StartStream: configmanager plugins broker nothing, but hosts always open the stream,
/// so accept it and keep reading until the host or the plugin ends it.
/// </summary>
internal sealed class BrokerService(PluginLifetime lifetime) : GRPCBroker.GRPCBrokerBase
{
    public override async Task StartStream(IAsyncStreamReader<ConnInfo> requestStream, IServerStreamWriter<ConnInfo> responseStream, ServerCallContext context)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.Stopping);
        try
        {
            while (await requestStream.MoveNext(cancellation.Token).ConfigureAwait(false))
            {
                // Nothing to connect: this plugin never asks for brokered connections.
            }
        }
        catch (OperationCanceledException)
        {
            // The plugin is stopping.
        }
    }
}
