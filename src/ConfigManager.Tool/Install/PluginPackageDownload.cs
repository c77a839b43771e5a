namespace ConfigManager.Tool.Install;

/// <summary>A downloaded .nupkg (the stream is owned by the receiver) and where it came from, for the lock file and output.</summary>
/// <param name="PackageId">The package id as the feed spells it.</param>
/// <param name="Version">The exact version downloaded.</param>
/// <param name="Package">The .nupkg content.</param>
/// <param name="Source">The feed URL, or "local feed" for a folder: never a local absolute path (the lock file is committed).</param>
public sealed record PluginPackageDownload(string PackageId, string Version, Stream Package, string Source);
