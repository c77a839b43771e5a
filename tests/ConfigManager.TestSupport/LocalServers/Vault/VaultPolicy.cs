namespace ConfigManager.TestSupport.LocalServers.Vault;

/// <summary>What a stand-in token may read: API path prefixes (<c>secret/data/app</c>), or <c>*</c> for everything.</summary>
public sealed record VaultPolicy(IReadOnlyList<string> ReadablePaths)
{
    public bool CanRead(string apiPath) =>
        ReadablePaths.Any(allowed => allowed == "*" || apiPath == allowed || apiPath.StartsWith(allowed.TrimEnd('/') + "/", StringComparison.Ordinal));
}
