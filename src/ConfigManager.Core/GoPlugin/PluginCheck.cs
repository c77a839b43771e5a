using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.GoPlugin;

/// <summary>A plugin that passed <see cref="PluginHost.Check"/>: where it was found and the SHA-256 that pins it.</summary>
/// <param name="Location">Where the search found it (or the package that declared it).</param>
/// <param name="Path">The executable a launch would run.</param>
/// <param name="Sha256">The hash it matched (lock file pin or package record); null when nothing pins it.</param>
public sealed record PluginCheck(PluginLocation Location, string Path, string? Sha256);
