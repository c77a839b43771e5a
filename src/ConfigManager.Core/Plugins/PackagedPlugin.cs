namespace ConfigManager.Core.Plugins;

/// <summary>
/// A plugin delivered by a NuGet package (a <c>ConfigManagerPlugin</c> item from the package's build props):
/// used for its prefix ahead of the <c>.configmanager/plugins</c> search, verified against the SHA-256
/// recorded at pack time instead of a lock file entry.
/// </summary>
/// <param name="Prefix">The token prefix it serves (any case).</param>
/// <param name="Path">The binary for the build's runtime identifier, or null/empty when the package lacks one.</param>
/// <param name="Sha256">Lower-case hex SHA-256 recorded at pack time.</param>
/// <param name="PackageId">The package that delivered it, e.g. ConfigManager.Plugin.Env.</param>
/// <param name="PackageVersion">That package's version.</param>
/// <param name="AvailableRids">The runtime identifiers the package has a binary for.</param>
public sealed record PackagedPlugin(
    string Prefix,
    string? Path,
    string Sha256,
    string PackageId,
    string PackageVersion,
    IReadOnlyList<string> AvailableRids)
{
    /// <summary>
    /// The runtime identifier the build selected the binary for (<c>ConfigManagerPluginRuntimeIdentifier</c>, else the SDK's),
    /// as the package's props record it; null from a package packed before they did (then this process's runtime is named).
    /// </summary>
    public string? RuntimeIdentifier { get; init; }

    /// <summary>Where it came from, for logs and <c>plugins</c>: "package Id Version".</summary>
    public string Origin => $"package {PackageId} {PackageVersion}";
}
