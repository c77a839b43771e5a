using ConfigManager.PluginSdk.Rpc;
using ConfigManager.Protocol.TokenStore;

namespace ConfigManager.PluginSdk.Services;

/// <summary><c>proto.TokenStore/Value</c>: hands the call to the plugin's <see cref="ITokenStore"/>.</summary>
internal sealed class TokenStoreService(ITokenStore tokenStore, PluginLifetime lifetime)
{
    public const string Value = "/proto.TokenStore/Value";

    public async Task ValueAsync(GrpcCall call)
    {
        var request = await call.ReadSingleAsync(TokenValueRequest.Parser).ConfigureAwait(false);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, lifetime.Stopping);
        string value;
        try
        {
            value = await tokenStore.GetValueAsync(request.Token, request.Metadata.ToStringUtf8(), cancellation.Token).ConfigureAwait(false) ?? string.Empty;
        }
        catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested)
        {
            // Reset by the host or past its grpc-timeout: the dispatcher answers DEADLINE_EXCEEDED or nothing.
            throw;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new GrpcStatusException(GrpcStatusCode.Cancelled, "the call was cancelled");
        }
        catch (Exception ex)
        {
            // A Go plugin's returned error arrives as status Unknown carrying err.Error(); do the same.
            throw new GrpcStatusException(GrpcStatusCode.Unknown, ex.Message);
        }

        await call.WriteAsync(new TokenValueResponse { Value = value }, call.CancellationToken).ConfigureAwait(false);
    }
}
