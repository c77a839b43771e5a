using ConfigManager.Protocol.TokenStore;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Services;

/// <summary><c>proto.TokenStore/Value</c>: hands the call to the plugin's <see cref="ITokenStore"/>.</summary>
internal sealed class TokenStoreService(ITokenStore tokenStore, PluginLifetime lifetime) : TokenStore.TokenStoreBase
{
    public override async Task<TokenValueResponse> Value(TokenValueRequest request, ServerCallContext context)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.Stopping);
        try
        {
            var value = await tokenStore.GetValueAsync(request.Token, request.Metadata.ToStringUtf8(), cancellation.Token).ConfigureAwait(false);
            return new TokenValueResponse { Value = value ?? string.Empty };
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        catch (Exception ex)
        {
            // A Go plugin's returned error arrives as status Unknown carrying err.Error(); do the same.
            throw new RpcException(new Status(StatusCode.Unknown, ex.Message));
        }
    }
}
