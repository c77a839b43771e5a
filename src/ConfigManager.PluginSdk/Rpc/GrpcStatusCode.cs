namespace ConfigManager.PluginSdk.Rpc;

/// <summary>The gRPC status codes this server sends (grpc/doc/statuscodes.md).</summary>
internal enum GrpcStatusCode
{
    OK = 0,
    Cancelled = 1,
    Unknown = 2,
    DeadlineExceeded = 4,
    NotFound = 5,
    Unimplemented = 12,
    Internal = 13,
}
