using System.Security.Cryptography;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Output;
using ConfigManager.Core.Plugins;
using ConfigManager.Core.Tokens;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool.Install;

/// <summary>
/// <c>init</c>: puts each plugin into the layout's install root for this platform, from a folder or an http(s)
/// base URL, verifies its SHA-256 (against a published <c>&lt;file&gt;.sha256</c> beside it and against the lock
/// file's pin), and records it in the lock file. A plugin that fails a check is never put in place.
/// </summary>
public sealed class PluginInstaller(InstallLayout layout, HttpClient http)
{
    /// <summary>Where <c>init</c> without a plugin-binary source gets ConfigManager.Plugin.* packages; null: NuGet is not used.</summary>
    public IPluginPackageFeed? Feed { get; init; }

    /// <summary>Whose NuGet.Config files name the sources when no --source is given (default: the current directory).</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Source label recorded for a plugin that was already in place and only pinned.</summary>
    public const string AlreadyInstalledSource = "(already installed)";

    /// <summary>Source label recorded for a plugin copied from a folder: its absolute path would end up in the committed lock file.</summary>
    public const string LocalFolderSource = "local folder";

    /// <summary>
    /// Installs every prefix; one failure does not stop the others. The lock file is saved once, at the end.
    /// A prefix outside the token grammar is a usage error (CM5050) and then nothing at all is installed.
    /// A download from an http(s) URL needs a checksum: <paramref name="expectedSha256"/> (one prefix only) or a
    /// <c>.sha256</c> published beside the binary (CM5060 otherwise); an HTML page is never saved as a binary (CM5061).
    /// </summary>
    public async Task<InstallResult> InstallAsync(
        IReadOnlyList<string> prefixes,
        string? source,
        IProgress<InstallProgress>? progress,
        CancellationToken cancellationToken,
        string? expectedSha256 = null,
        string? version = null)
    {
        // Checked before any path is built: "../../x" or "/abs/x" would otherwise escape the layout.
        var refused = prefixes.Where(p => !IsInstallablePrefix(p)).Select(RefusedPrefix).ToList();
        if (expectedSha256 is not null && (expectedSha256.Trim().Length != 64 || !expectedSha256.Trim().All(Uri.IsHexDigit)))
        {
            refused.Add(new Diagnostic(ToolErrorCodes.Usage, DiagnosticSeverity.Error, "--sha256 must be 64 hex digits, as sha256sum prints them. Nothing was installed."));
        }
        else if (expectedSha256 is not null && prefixes.Count != 1)
        {
            refused.Add(new Diagnostic(ToolErrorCodes.Usage, DiagnosticSeverity.Error, "--sha256 pins one binary: give exactly one --plugin with it. Nothing was installed."));
        }

        if (refused.Count > 0)
        {
            return new InstallResult([], refused);
        }

        var expected = expectedSha256?.Trim().ToLowerInvariant();

        // The host's lock-file type: one parse, one set of checks (CM2003).
        var lockFile = PluginLockFile.Open(layout.LockFilePath);
        var installed = new List<InstalledPlugin>();
        var diagnostics = new List<Diagnostic>();
        foreach (var prefix in prefixes.Select(p => p.Trim().ToLowerInvariant()).Distinct())
        {
            try
            {
                var plugin = await InstallOneAsync(prefix, source, expected, version, lockFile, progress, cancellationToken).ConfigureAwait(false);
                lockFile.Set(new PluginLockEntry(prefix, Path.GetFileName(plugin.Path), plugin.Sha256, plugin.Source, plugin.Package, plugin.Version));
                installed.Add(plugin);
            }
            catch (ConfigManagerException ex)
            {
                diagnostics.Add(new Diagnostic(ex.Code, DiagnosticSeverity.Error, ex.Message, PluginPath: ex.PluginPath));
            }
        }

        if (installed.Count > 0)
        {
            await lockFile.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        return new InstallResult(installed, diagnostics);
    }

    private async Task<InstalledPlugin> InstallOneAsync(
        string prefix,
        string? source,
        string? expectedSha256,
        string? version,
        PluginLockFile lockFile,
        IProgress<InstallProgress>? progress,
        CancellationToken cancellationToken)
    {
        var fileName = GoPlatform.PluginFileName(prefix);
        var target = layout.PluginPath(prefix);
        var pinned = lockFile.Find(prefix);

        if (string.IsNullOrEmpty(source) && (Feed is null || (version is null && File.Exists(target))))
        {
            return PinExisting(prefix, target, pinned, lockFile.Path);
        }

        PluginPackageDownload? download = null;
        PluginPackageReader? reader = null;
        PluginOrigin origin;
        if (Feed is not null && (string.IsNullOrEmpty(source) || IsNuGetFeed(source)))
        {
            var packageId = PluginPackageNames.For(prefix);
            download = await Feed.DownloadAsync(packageId, version, source, WorkingDirectory, cancellationToken).ConfigureAwait(false);
            reader = new PluginPackageReader(download.Package, download.Source);
            System.IO.Compression.ZipArchiveEntry entry;
            string recorded;
            try
            {
                (entry, recorded) = reader.BinaryFor(prefix, download.PackageId);
            }
            catch
            {
                reader.Dispose();
                throw;
            }

            origin = new PluginOrigin($"{download.PackageId} {download.Version} from {download.Source}", IsUrl: false, http)
            {
                Entry = entry,
                Recorded = recorded,
                ChecksumLabel = $"the SHA-256 package {download.PackageId} {download.Version} recorded at pack time",
            };
        }
        else
        {
            origin = IsHttpUrl(source!) ? FromUrl(source!, fileName) : FromFolder(source!, prefix, fileName);
        }

        using var packageReader = reader;
        var published = await origin.ReadPublishedChecksumAsync(http, cancellationToken).ConfigureAwait(false);
        var verified = new List<string>();
        string? actual = null;
        var created = MissingDirectories(Path.GetDirectoryName(target)!);
        try
        {
            await WriteVerifiedAsync().ConfigureAwait(false);
        }
        catch
        {
            // A failed install leaves the file system as it found it: no empty plugin folder behind.
            RemoveIfEmpty(created);
            throw;
        }

        return new InstalledPlugin(prefix, target, actual!, origin.IsUrl || download is not null ? origin.Location : LocalFolderSource, verified, download?.PackageId, download?.Version);

        Task WriteVerifiedAsync() => AtomicFile.WriteAsync(
            target,
            async (destination, ct) =>
            {
                // A release URL without any checksum is refused once the server has answered (so a 404 still reads as one).
                var unverifiable = origin.IsUrl && published is null && expectedSha256 is null;
                actual = await CopyHashingAsync(prefix, origin, destination, progress, unverifiable, ct).ConfigureAwait(false);
                if (expectedSha256 is not null)
                {
                    if (actual != expectedSha256)
                    {
                        throw new ConfigManagerException(
                            ToolErrorCodes.ChecksumMismatch,
                            $"Plugin {prefix.ToUpperInvariant()} from '{origin.Location}' has SHA-256 {actual} but --sha256 says {expectedSha256}. "
                            + "The download is corrupt, was tampered with, or is another version; nothing was installed.",
                            origin.Location);
                    }

                    verified.Add("--sha256");
                }

                if (published is not null)
                {
                    if (actual != published)
                    {
                        throw new ConfigManagerException(
                            ToolErrorCodes.ChecksumMismatch,
                            $"Plugin {prefix.ToUpperInvariant()} from '{origin.Location}' has SHA-256 {actual} but {origin.ChecksumLabel} says {published}. "
                            + "The download is corrupt or was tampered with; nothing was installed.",
                            origin.Location);
                    }

                    verified.Add(origin.Entry is null ? origin.Location + ".sha256" : origin.ChecksumLabel);
                }

                if (pinned is not null)
                {
                    if (actual != pinned.Sha256)
                    {
                        throw LockMismatch(prefix, origin.Location, pinned.Sha256, actual, lockFile.Path, " Nothing was installed.");
                    }

                    verified.Add(lockFile.Path);
                }
            },
            AtomicFile.ExecutableMode,
            cancellationToken);
    }

    // init's own code (CM5054): the host reports the same mismatch at launch as CM2004.
    private static ConfigManagerException LockMismatch(string prefix, string pluginPath, string expected, string actual, string lockPath, string suffix) => new(
        ToolErrorCodes.LockMismatch,
        $"Plugin for prefix {prefix.ToUpperInvariant()} does not match the lock file '{lockPath}': expected SHA-256 {expected}, found {actual}. "
        + "If you replaced the plugin on purpose, run 'dotnet configmanager init --plugin " + prefix.ToLowerInvariant() + " --source ...' to re-pin it; otherwise restore the pinned binary." + suffix,
        pluginPath);

    /// <summary>ASCII letters and digits starting with a letter: the grammar's prefix rule, in either case.</summary>
    internal static bool IsInstallablePrefix(string prefix) => PluginPrefix.IsValidInAnyCase(prefix.Trim());

    private static Diagnostic RefusedPrefix(string prefix) => new(
        ToolErrorCodes.Usage,
        DiagnosticSeverity.Error,
        $"--plugin \"{prefix}\" is not a plugin prefix: use letters and digits, starting with a letter, as in a token's prefix "
        + $"({GrammarErrorCodes.InvalidPrefix}), e.g. --plugin awssecrets. Nothing was installed.");

    /// <summary>The directories from <paramref name="directory"/> upwards that do not exist yet, deepest first.</summary>
    private static List<string> MissingDirectories(string directory)
    {
        var missing = new List<string>();
        for (var current = directory; !string.IsNullOrEmpty(current) && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Add(current);
        }

        return missing;
    }

    private static void RemoveIfEmpty(List<string> createdDeepestFirst)
    {
        foreach (var directory in createdDeepestFirst)
        {
            try
            {
                if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the install error that got us here is the one to report.
                return;
            }
        }
    }

    private static InstalledPlugin PinExisting(string prefix, string target, PluginLockEntry? pinned, string lockPath)
    {
        if (!File.Exists(target))
        {
            throw new ConfigManagerException(
                ToolErrorCodes.NoInstallSource,
                $"Plugin {prefix.ToUpperInvariant()} is not installed at '{target}' and no --source was given. "
                + "Run 'dotnet configmanager init --plugin " + prefix + " --source <folder or https URL>'.",
                target);
        }

        var actual = PluginLockFile.ComputeSha256(target);
        if (pinned is not null && pinned.Sha256 != actual)
        {
            throw LockMismatch(prefix, target, pinned.Sha256, actual, lockPath, string.Empty);
        }

        return new InstalledPlugin(prefix, target, actual, pinned?.Source ?? AlreadyInstalledSource, pinned is null ? [] : [lockPath]);
    }

    private static async Task<string> CopyHashingAsync(
        string prefix,
        PluginOrigin origin,
        Stream destination,
        IProgress<InstallProgress>? progress,
        bool unverifiable,
        CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var (content, length, owner) = await origin.OpenAsync(cancellationToken).ConfigureAwait(false);
        using (owner)
        await using (content)
        {
            if (unverifiable)
            {
                throw new ConfigManagerException(
                    ToolErrorCodes.ChecksumRequired,
                    $"Refusing to install plugin {prefix.ToUpperInvariant()} from '{origin.Location}': no '{origin.Location}.sha256' is published beside it and no --sha256 was given. "
                    + $"Pass the release's checksum: `dotnet configmanager init --plugin {prefix} --source <url> --sha256 <hex>`. Nothing was installed.",
                    origin.Location);
            }

            var buffer = new byte[81920];
            long done = 0;
            int read;
            progress?.Report(new InstallProgress(prefix, origin.Location, 0, length, Completed: false));
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (done == 0 && origin.IsUrl && LooksLikeHtml(buffer.AsSpan(0, read)))
                {
                    throw NotABinary("plugin " + prefix.ToUpperInvariant(), origin.Location);
                }

                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                done += read;
                progress?.Report(new InstallProgress(prefix, origin.Location, done, length, Completed: false));
            }

            progress?.Report(new InstallProgress(prefix, origin.Location, done, length, Completed: true));
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    // An error or login page served with 200: no executable format starts with '<' (ELF, Mach-O, PE, #! scripts).
    // White space and one UTF-8 byte order mark may come first (as a whole: a binary may start with 0xEF or 0xBB).
    private static bool LooksLikeHtml(ReadOnlySpan<byte> start)
    {
        var text = start.TrimStart(" \t\r\n"u8);
        if (text.StartsWith("\uFEFF"u8))
        {
            text = text["\uFEFF"u8.Length..].TrimStart(" \t\r\n"u8);
        }

        return text.Length > 0 && text[0] == (byte)'<';
    }

    internal static ConfigManagerException NotABinary(string what, string location) => new(
        ToolErrorCodes.NotABinary,
        $"'{location}' answered with an HTML page, not the binary of {what}. Check --source (a release's download base URL, e.g. .../releases/download/v1.2.3). Nothing was installed.",
        location);

    /// <summary>A NuGet v3 feed URL (its service index, ".../index.json") or a folder holding .nupkg files (flat or id/version/).</summary>
    internal static bool IsNuGetFeed(string source)
    {
        if (IsHttpUrl(source))
        {
            return source.TrimEnd('/').EndsWith("/index.json", StringComparison.OrdinalIgnoreCase);
        }

        var folder = Path.GetFullPath(source);
        return Directory.Exists(folder)
            && (Directory.EnumerateFiles(folder, "*.nupkg").Any()
                || Directory.EnumerateDirectories(folder).Any(id => Directory.EnumerateDirectories(id).Any(v => Directory.EnumerateFiles(v, "*.nupkg").Any())));
    }

    private static bool IsHttpUrl(string source)
        => Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private PluginOrigin FromUrl(string baseUrl, string fileName)
    {
        var url = baseUrl.TrimEnd('/');
        if (!url.EndsWith("/" + fileName, StringComparison.Ordinal))
        {
            url += "/" + fileName;
        }

        return new PluginOrigin(url, IsUrl: true, http);
    }

    private PluginOrigin FromFolder(string folder, string prefix, string fileName)
    {
        var root = Path.GetFullPath(folder);
        string[] candidates =
        [
            Path.Combine(root, prefix, fileName),
            Path.Combine(root, fileName),
            PluginLocator.LayoutPath(root, prefix),
        ];
        var found = candidates.FirstOrDefault(File.Exists) ?? throw new ConfigManagerException(
            ToolErrorCodes.InstallSourceMissing,
            $"Plugin {prefix.ToUpperInvariant()} for {GoPlatform.Os}-{GoPlatform.Arch} not found in '{root}'. Tried: {string.Join(", ", candidates)}. "
            + "Check --source and that the plugin was built for this platform.",
            candidates[0]);
        return new PluginOrigin(found, IsUrl: false, http);
    }
}
