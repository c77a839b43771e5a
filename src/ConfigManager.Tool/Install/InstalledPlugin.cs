namespace ConfigManager.Tool.Install;

/// <summary>A plugin now in place: where, its SHA-256, where it came from, what its hash was checked against, and its NuGet package if it came from one.</summary>
public sealed record InstalledPlugin(string Prefix, string Path, string Sha256, string Source, IReadOnlyList<string> VerifiedAgainst, string? Package = null, string? Version = null);
