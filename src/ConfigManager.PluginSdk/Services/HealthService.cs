using ConfigManager.PluginSdk.Rpc;
using ConfigManager.Protocol.Health;

namespace ConfigManager.PluginSdk.Services;

/// <summary>grpc.health.v1: go-plugin reports the service "plugin" (and the server, "") as SERVING.</summary>
internal static class HealthService
{
    public const string Check = "/grpc.health.v1.Health/Check";

    public static async Task CheckAsync(GrpcCall call)
    {
        var request = await call.ReadSingleAsync(HealthCheckRequest.Parser).ConfigureAwait(false);
        if (request.Service is not ("plugin" or ""))
        {
            throw new GrpcStatusException(GrpcStatusCode.NotFound, "unknown service");
        }

        await call.WriteAsync(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving }, call.CancellationToken).ConfigureAwait(false);
    }
}
