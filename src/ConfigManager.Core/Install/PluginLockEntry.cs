namespace ConfigManager.Core.Install;

/// <summary>One pinned plugin binary: lower-case prefix, its file name (platform included), SHA-256 (lower-case hex), and where it came from.</summary>
public sealed record PluginLockEntry(string Prefix, string File, string Sha256, string Source);
