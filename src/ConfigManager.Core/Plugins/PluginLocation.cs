namespace ConfigManager.Core.Plugins;

/// <summary>The outcome of a search: the plugin's path, or every path that was tried.</summary>
/// <param name="Prefix">The token prefix the plugin serves.</param>
/// <param name="Path">The executable found, or null.</param>
/// <param name="PathsTried">Every candidate, in search order.</param>
public sealed record PluginLocation(string Prefix, string? Path, IReadOnlyList<string> PathsTried)
{
    public bool Found => Path is not null;
}
