namespace ConfigManager.Core.Resolution;

/// <summary>
/// One call to a value source: exactly what configmanager sends a plugin's <c>TokenStore.Value</c>.
/// </summary>
/// <param name="Prefix">Upper-case prefix, e.g. <c>AWSSECRETS</c>; selects the plugin.</param>
/// <param name="StorePath">The token without prefix, separator, key path and metadata.</param>
/// <param name="Metadata">The raw text between <c>[</c> and <c>]</c>, or empty.</param>
public sealed record ValueRequest(string Prefix, string StorePath, string Metadata);
