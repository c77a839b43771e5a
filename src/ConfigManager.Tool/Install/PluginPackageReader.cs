using System.IO.Compression;
using System.Xml.Linq;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Plugins;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool.Install;

/// <summary>
/// Reads a plugin package (.nupkg, a zip): the binary for this machine's RID under <c>runtimes/&lt;rid&gt;/native/</c> and
/// the SHA-256 its <c>build/&lt;id&gt;.props</c> recorded at pack time, so <c>init</c> can check what it extracts.
/// </summary>
public sealed class PluginPackageReader : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly string _location;

    public PluginPackageReader(Stream package, string location)
    {
        _location = location;
        try
        {
            _zip = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigManagerException(ToolErrorCodes.DownloadFailed, $"'{location}' is not a NuGet package (not a zip file): {ex.Message}", location, ex);
        }
    }

    /// <summary>This machine's portable RID as NuGet names it (<see cref="GoPlatform.RuntimeIdentifier"/>).</summary>
    public static string RuntimeIdentifier => GoPlatform.RuntimeIdentifier;

    /// <summary>The binary entry for this RID and the SHA-256 recorded for it; CM5051 naming the RIDs the package has when it lacks one.</summary>
    public (ZipArchiveEntry Entry, string RecordedSha256) BinaryFor(string prefix, string packageId)
    {
        var fileName = GoPlatform.PluginFileName(prefix);
        var path = $"runtimes/{RuntimeIdentifier}/native/{fileName}";
        var entry = _zip.GetEntry(path);
        if (entry is null)
        {
            var rids = _zip.Entries
                .Select(e => e.FullName.Split('/'))
                .Where(parts => parts.Length == 4 && parts[0] == "runtimes" && parts[2] == "native")
                .Select(parts => parts[1])
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            throw new ConfigManagerException(
                ToolErrorCodes.InstallSourceMissing,
                $"Package {packageId} from '{_location}' has no plugin binary for {RuntimeIdentifier} ({path}); it has: {(rids.Count == 0 ? "(none)" : string.Join(", ", rids))}. "
                + "Install a binary built for this platform with --source <folder or release URL>.",
                _location);
        }

        return (entry, RecordedSha256(packageId, path));
    }

    public void Dispose() => _zip.Dispose();

    private string RecordedSha256(string packageId, string binaryPath)
    {
        var props = _zip.GetEntry($"build/{packageId}.props")
            ?? _zip.Entries.FirstOrDefault(e => e.FullName.StartsWith("build/", StringComparison.Ordinal) && e.FullName.EndsWith(".props", StringComparison.OrdinalIgnoreCase));
        XDocument? document = null;
        if (props is not null)
        {
            using var stream = props.Open();
            try
            {
                document = XDocument.Load(stream);
            }
            catch (System.Xml.XmlException)
            {
                document = null;
            }
        }

        var sha = document?.Descendants()
            .Where(e => e.Name.LocalName == "ConfigManagerPlugin")
            .FirstOrDefault(e => ((string?)e.Attribute("Path") ?? string.Empty).EndsWith("/" + binaryPath, StringComparison.Ordinal))
            ?.Attribute("Sha256")?.Value.Trim().ToLowerInvariant();
        if (sha is not { Length: 64 } || !sha.All(Uri.IsHexDigit))
        {
            throw new ConfigManagerException(
                ToolErrorCodes.ChecksumMismatch,
                $"Package {packageId} from '{_location}' records no SHA-256 for {binaryPath} in its build/{packageId}.props, so its binary cannot be verified. Nothing was installed. Is it a ConfigManager plugin package?",
                _location);
        }

        return sha;
    }
}
