using ConfigManager.Core.Diagnostics;
using ConfigManager.Tool.Output;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace ConfigManager.Tool.Install;

/// <summary>
/// ConfigManager.Plugin.* packages from NuGet with NuGet's own client: the sources the NuGet.Config files of the working
/// directory configure (as <c>dotnet restore</c> sees them), or one feed URL/folder; newest stable version unless told.
/// Downloads go to memory, not to NuGet's caches (no side effect outside the plugin folder).
/// </summary>
internal sealed class NuGetPluginFeed : IPluginPackageFeed
{
    private const string SystemTextJsonSwitch = "NUGET_USE_SYSTEM_TEXT_JSON_DESERIALIZATION";

    public async Task<PluginPackageDownload> DownloadAsync(string packageId, string? version, string? source, string workingDirectory, CancellationToken cancellationToken)
    {
        // NuGet's System.Text.Json readers rather than its reflection-bound Newtonsoft.Json ones (the tool is NativeAOT).
        if (Environment.GetEnvironmentVariable(SystemTextJsonSwitch) is null)
        {
            Environment.SetEnvironmentVariable(SystemTextJsonSwitch, "true");
        }

        NuGetVersion? wanted = null;
        if (version is not null && !NuGetVersion.TryParse(version, out wanted))
        {
            throw new ConfigManagerException(ToolErrorCodes.Usage, $"--version \"{version}\" is not a NuGet version (e.g. 1.2.3 or 1.2.3-beta.1).");
        }

        var sources = source is null
            ? new PackageSourceProvider(Settings.LoadDefaultSettings(workingDirectory)).LoadPackageSources().Where(s => s.IsEnabled).ToList()
            : [new PackageSource(source.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? source : Path.GetFullPath(source))];
        if (sources.Count == 0)
        {
            throw new ConfigManagerException(
                ToolErrorCodes.InstallSourceMissing,
                $"No NuGet source is configured for '{workingDirectory}' to look for {packageId} in. Add one to NuGet.Config, or pass --source <feed URL or folder>.");
        }

        using var cache = new SourceCacheContext { NoCache = true, DirectDownload = true };
        var found = new List<(PackageSource Source, FindPackageByIdResource Resource, NuGetVersion Version)>();
        foreach (var packageSource in sources)
        {
            var resource = await ResourceAsync(packageSource, cancellationToken).ConfigureAwait(false);
            foreach (var available in await VersionsAsync(resource, packageSource, packageId, cache, cancellationToken).ConfigureAwait(false))
            {
                found.Add((packageSource, resource, available));
            }
        }

        var pick = wanted is not null
            ? found.FirstOrDefault(f => f.Version == wanted)
            : found.Where(f => !f.Version.IsPrerelease).OrderByDescending(f => f.Version).FirstOrDefault();
        if (pick.Resource is null)
        {
            var known = found.Select(f => f.Version).Distinct().OrderDescending().Take(10).Select(v => v.ToNormalizedString()).ToList();
            var what = wanted is null ? "no stable version" : $"no version {wanted.ToNormalizedString()}";
            throw new ConfigManagerException(
                ToolErrorCodes.InstallSourceMissing,
                $"{packageId}: {what} on {string.Join(", ", sources.Select(Label))}" + (known.Count > 0 ? $" (it has: {string.Join(", ", known)}; pass --version)." : ".")
                + " Check the package name and your NuGet sources, or install from --source <folder or release URL>.");
        }

        var package = new MemoryStream();
        try
        {
            if (!await pick.Resource.CopyNupkgToStreamAsync(packageId, pick.Version, package, cache, NullLogger.Instance, cancellationToken).ConfigureAwait(false))
            {
                throw new ConfigManagerException(ToolErrorCodes.DownloadFailed, $"{packageId} {pick.Version.ToNormalizedString()} could not be downloaded from {Label(pick.Source)}.");
            }
        }
        catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or IOException)
        {
            await package.DisposeAsync().ConfigureAwait(false);
            throw new ConfigManagerException(ToolErrorCodes.DownloadFailed, $"Downloading {packageId} {pick.Version.ToNormalizedString()} from {Label(pick.Source)} failed: {ex.Message}", inner: ex);
        }

        package.Position = 0;
        return new PluginPackageDownload(packageId, pick.Version.ToNormalizedString(), package, Label(pick.Source));
    }

    // A folder is "local feed": its absolute path would end up in the committed lock file.
    private static string Label(PackageSource source) => source.IsHttp ? source.Source : "local feed";

    private static async Task<FindPackageByIdResource> ResourceAsync(PackageSource source, CancellationToken cancellationToken)
    {
        try
        {
            return await Repository.Factory.GetCoreV3(source).GetResourceAsync<FindPackageByIdResource>(cancellationToken).ConfigureAwait(false)
                ?? throw new ConfigManagerException(ToolErrorCodes.DownloadFailed, $"NuGet source {Label(source)} does not offer package downloads by id (a v3 feed or a folder is needed).");
        }
        catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or IOException)
        {
            throw new ConfigManagerException(ToolErrorCodes.DownloadFailed, $"NuGet source {Label(source)} cannot be read: {ex.Message}", inner: ex);
        }
    }

    private static async Task<IEnumerable<NuGetVersion>> VersionsAsync(FindPackageByIdResource resource, PackageSource source, string packageId, SourceCacheContext cache, CancellationToken cancellationToken)
    {
        try
        {
            return await resource.GetAllVersionsAsync(packageId, cache, NullLogger.Instance, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or IOException)
        {
            throw new ConfigManagerException(ToolErrorCodes.DownloadFailed, $"NuGet source {Label(source)} failed while looking for {packageId}: {ex.Message}", inner: ex);
        }
    }
}
