namespace ConfigManager.Core.Install;

/// <summary>The outcome of looking for one prefix's plugin: the path found (or null) and every path tried.</summary>
public sealed record PluginLookup(string Prefix, string? FoundPath, IReadOnlyList<string> TriedPaths)
{
    public bool Found => FoundPath is not null;
}
