using ConfigManager.PluginSdk.Rpc;
using ConfigManager.Protocol.GoPlugin;

namespace ConfigManager.PluginSdk.Services;

/// <summary>plugin.GRPCController/Shutdown: answer, then stop; the host kills us 2 s after asking.</summary>
internal sealed class ControllerService(PluginLifetime lifetime)
{
    public const string Shutdown = "/plugin.GRPCController/Shutdown";

    public async Task ShutdownAsync(GrpcCall call)
    {
        await call.ReadSingleAsync(Empty.Parser).ConfigureAwait(false);

        // Stop once the reply is on its way, so the host sees OK rather than a torn stream.
        call.HttpContext.Response.OnCompleted(() =>
        {
            lifetime.RequestStop();
            return Task.CompletedTask;
        });
        await call.WriteAsync(new Empty(), call.CancellationToken).ConfigureAwait(false);
    }
}
