using ConfigManager.Protocol.GoPlugin;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Services;

/// <summary>plugin.GRPCController/Shutdown: answer, then stop; the host kills us 2 s after asking.</summary>
internal sealed class ControllerService(PluginLifetime lifetime) : GRPCController.GRPCControllerBase
{
    public override Task<Empty> Shutdown(Empty request, ServerCallContext context)
    {
        // Stop once the reply is on its way, so the host sees OK rather than a torn stream.
        context.GetHttpContext().Response.OnCompleted(() =>
        {
            lifetime.RequestStop();
            return Task.CompletedTask;
        });
        return Task.FromResult(new Empty());
    }
}
