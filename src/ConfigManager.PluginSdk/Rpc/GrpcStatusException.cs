namespace ConfigManager.PluginSdk.Rpc;

/// <summary>Ends a call with this status and message (sent as grpc-status and grpc-message).</summary>
internal sealed class GrpcStatusException(GrpcStatusCode status, string detail) : Exception(detail)
{
    public GrpcStatusCode Status { get; } = status;
}
