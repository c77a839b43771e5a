namespace ConfigManager.Core.Plugins;

/// <summary>The outcome of a search: the plugin's path, or every path that was tried.</summary>
/// <param name="Prefix">The token prefix the plugin serves.</param>
/// <param name="Path">The executable found, or null.</param>
/// <param name="PathsTried">Every candidate, in search order.</param>
/// <param name="Package">The package that declared the plugin, when it came from one (then no path was searched).</param>
public sealed record PluginLocation(string Prefix, string? Path, IReadOnlyList<string> PathsTried, PackagedPlugin? Package = null)
{
    public bool Found => Path is not null;

    /// <summary>Where the plugin came from: the package id + version, or the path found.</summary>
    public string Origin => Package?.Origin ?? Path ?? "not found";
}
