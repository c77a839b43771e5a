using ConfigManager.PluginSdk.Logging;
using ConfigManager.Protocol.GoPlugin;
using Google.Protobuf;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Services;

/// <summary>plugin.GRPCStdio/StreamStdio: what plugin code writes to Console.Out, until the host hangs up.</summary>
internal sealed class StdioService(StdoutForwarder stdout, PluginLifetime lifetime) : GRPCStdio.GRPCStdioBase
{
    // go-plugin sends chunks of at most 1 KiB.
    private const int MaxChunk = 1024;

    public override async Task StreamStdio(Google.Protobuf.WellKnownTypes.Empty request, IServerStreamWriter<StdioData> responseStream, ServerCallContext context)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.Stopping);
        try
        {
            await foreach (var chunk in stdout.Chunks.ReadAllAsync(cancellation.Token).ConfigureAwait(false))
            {
                for (var offset = 0; offset < chunk.Length; offset += MaxChunk)
                {
                    var data = ByteString.CopyFrom(chunk, offset, Math.Min(MaxChunk, chunk.Length - offset));
                    await responseStream.WriteAsync(new StdioData { Channel = StdioData.Types.Channel.Stdout, Data = data }, cancellation.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host hung up or the plugin is stopping: the stream simply ends.
        }
    }
}
