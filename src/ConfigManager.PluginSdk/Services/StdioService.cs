using ConfigManager.PluginSdk.Logging;
using ConfigManager.PluginSdk.Rpc;
using ConfigManager.Protocol.GoPlugin;
using Google.Protobuf;

namespace ConfigManager.PluginSdk.Services;

/// <summary>plugin.GRPCStdio/StreamStdio: what plugin code writes to Console.Out, until the host hangs up.</summary>
internal sealed class StdioService(StdoutForwarder stdout, PluginLifetime lifetime)
{
    public const string StreamStdio = "/plugin.GRPCStdio/StreamStdio";

    // go-plugin sends chunks of at most 1 KiB.
    private const int MaxChunk = 1024;

    public async Task StreamStdioAsync(GrpcCall call)
    {
        await call.ReadSingleAsync(Google.Protobuf.WellKnownTypes.Empty.Parser).ConfigureAwait(false);
        await call.StartResponseAsync().ConfigureAwait(false);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, lifetime.Stopping);
        try
        {
            await foreach (var chunk in stdout.Chunks.ReadAllAsync(cancellation.Token).ConfigureAwait(false))
            {
                for (var offset = 0; offset < chunk.Length; offset += MaxChunk)
                {
                    var data = ByteString.CopyFrom(chunk, offset, Math.Min(MaxChunk, chunk.Length - offset));
                    await call.WriteAsync(new StdioData { Channel = StdioData.Types.Channel.Stdout, Data = data }, cancellation.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!call.CancellationToken.IsCancellationRequested)
        {
            // The plugin is stopping: the stream simply ends (OK).
        }
    }
}
