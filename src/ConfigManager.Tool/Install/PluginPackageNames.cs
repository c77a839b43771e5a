namespace ConfigManager.Tool.Install;

/// <summary>The NuGet package that carries a prefix's first-party plugin: ConfigManager.Plugin.&lt;Name&gt;.</summary>
public static class PluginPackageNames
{
    // Names that are not the prefix itself; NuGet ids are case-insensitive, so the rest is just the prefix capitalised.
    private static readonly Dictionary<string, string> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["env"] = "Env",
        ["aztablestore"] = "AzTableStore",
        ["azkvsecret"] = "AzKeyVault",
        ["azappconf"] = "AzAppConfig",
        ["awssecrets"] = "AwsSecrets",
        ["awsparamstr"] = "AwsParamStore",
        ["vault"] = "Vault",
        ["gcpsecrets"] = "GcpSecrets",
    };

    /// <summary>e.g. <c>azkvsecret</c> → <c>ConfigManager.Plugin.AzKeyVault</c>.</summary>
    public static string For(string prefix)
    {
        var lower = prefix.Trim().ToLowerInvariant();
        return "ConfigManager.Plugin." + (s_names.TryGetValue(lower, out var name) ? name : char.ToUpperInvariant(lower[0]) + lower[1..]);
    }
}
