using ConfigManager.Protocol.Health;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Services;

/// <summary>grpc.health.v1: go-plugin reports the service "plugin" (and the server, "") as SERVING.</summary>
internal sealed class HealthService : Health.HealthBase
{
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        request.Service is "plugin" or ""
            ? Task.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving })
            : throw new RpcException(new Status(StatusCode.NotFound, "unknown service"));
}
