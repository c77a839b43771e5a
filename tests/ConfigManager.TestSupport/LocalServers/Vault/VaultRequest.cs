namespace ConfigManager.TestSupport.LocalServers.Vault;

/// <summary>One request the Vault stand-in received: method, path with query, whether it carried a token, its namespace.</summary>
public sealed record VaultRequest(string Method, string PathAndQuery, bool HadToken, string? Namespace);
