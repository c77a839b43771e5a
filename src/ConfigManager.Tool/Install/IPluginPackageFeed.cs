namespace ConfigManager.Tool.Install;

/// <summary>
/// Finds and downloads a plugin package (ConfigManager.Plugin.*) from NuGet sources; the tool implements it with NuGet's
/// client libraries (which must not load into MSBuild, so they stay out of Core).
/// </summary>
public interface IPluginPackageFeed
{
    /// <summary>
    /// Downloads <paramref name="packageId"/> at <paramref name="version"/> (null: the newest stable version) from
    /// <paramref name="source"/> (a NuGet feed URL or folder), or from the sources the NuGet.Config files of
    /// <paramref name="workingDirectory"/> configure when it is null.
    /// </summary>
    /// <exception cref="ConfigManager.Core.Diagnostics.ConfigManagerException">CM5051 not found on any source, CM5052 a source failed.</exception>
    Task<PluginPackageDownload> DownloadAsync(string packageId, string? version, string? source, string workingDirectory, CancellationToken cancellationToken);
}
