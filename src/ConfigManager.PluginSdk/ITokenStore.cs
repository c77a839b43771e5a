namespace ConfigManager.PluginSdk;

/// <summary>
/// What a configmanager plugin implements: turn one token into its value. It is the C# face of
/// configmanager's <c>proto.TokenStore/Value</c> call.
/// </summary>
public interface ITokenStore
{
    /// <summary>Returns the value stored under <paramref name="token"/>.</summary>
    /// <param name="token">
    /// The store path: the token without its prefix, separator, key path and metadata
    /// (for <c>ENV://HOME|a.b</c> it is <c>HOME</c>). Key lookup into a JSON value is the host's job.
    /// </param>
    /// <param name="metadata">The raw text between <c>[</c> and <c>]</c> (UTF-8), or empty.</param>
    /// <param name="cancellationToken">Cancelled when the host gives up on the call or shuts the plugin down.</param>
    /// <returns>The value. Throw to fail the call: the exception's message becomes the gRPC status message.</returns>
    Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken);
}
