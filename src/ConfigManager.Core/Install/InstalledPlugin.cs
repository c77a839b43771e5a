namespace ConfigManager.Core.Install;

/// <summary>A plugin now in place: where, its SHA-256, where it came from, and what its hash was checked against.</summary>
public sealed record InstalledPlugin(string Prefix, string Path, string Sha256, string Source, IReadOnlyList<string> VerifiedAgainst);
