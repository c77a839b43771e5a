namespace ConfigManager.Core.Plugins;

/// <summary>
/// One pinned plugin binary: lower-case prefix, SHA-256 (lower-case hex), and for people: its file name (platform included),
/// where it came from, and for a plugin installed from a NuGet package that package's id and version.
/// </summary>
public sealed record PluginLockEntry(string Prefix, string File, string Sha256, string Source, string? Package = null, string? Version = null);
