namespace ConfigManager.Core.Install;

/// <summary>One pinned plugin binary: lower-case prefix, SHA-256 (lower-case hex), and for people: its file name (platform included) and where it came from.</summary>
public sealed record PluginLockEntry(string Prefix, string File, string Sha256, string Source);
