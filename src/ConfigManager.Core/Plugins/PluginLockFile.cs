using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Output;

namespace ConfigManager.Core.Plugins;

/// <summary>
/// Pins plugin binaries by SHA-256: <c>{"plugins":{"env":{"sha256":"&lt;hex&gt;","file":...,"source":...}}}</c>, keys are
/// lower-case prefixes. The host refuses an unpinned or changed binary before launch; <c>init</c> reads, pins and saves
/// the same file through this type (one parse, one set of checks, CM2003). Entries are sorted so the file diffs cleanly.
/// </summary>
public sealed class PluginLockFile
{
    /// <summary>Where the lock file lives when no path is given, relative to the install root (the first search root).</summary>
    public const string DefaultRelativePath = ".configmanager/plugins.lock.json";

    private readonly SortedDictionary<string, PluginLockEntry> _entries;

    private PluginLockFile(string path, SortedDictionary<string, PluginLockEntry> entries)
    {
        Path = path;
        _entries = entries;
    }

    public string Path { get; }

    /// <summary>Every pinned plugin, by prefix.</summary>
    public IReadOnlyCollection<PluginLockEntry> Entries => _entries.Values;

    /// <summary>
    /// The lock file a run uses: <paramref name="explicitPath"/>, else <c>&lt;installRoot&gt;/.configmanager/plugins.lock.json</c>
    /// when something is there (a directory there is CM2003 at <see cref="Load"/>: ignoring it would switch pinning off);
    /// null when no lock file is in use.
    /// </summary>
    public static string? PathInUse(string? explicitPath, string installRoot)
    {
        if (explicitPath is not null)
        {
            return explicitPath;
        }

        var path = System.IO.Path.Combine(installRoot, DefaultRelativePath);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    /// <summary>Loads the lock file <see cref="PathInUse"/> names (an explicit one must exist); null when none is in use.</summary>
    /// <exception cref="ConfigManagerException">CM2003 when the file cannot be read or is not a valid lock file.</exception>
    public static PluginLockFile? Load(string? explicitPath, string installRoot)
        => PathInUse(explicitPath, installRoot) is { } path ? Read(path, mustExist: true) : null;

    /// <summary>Reads the lock file at <paramref name="path"/> for editing; a missing file is an empty lock file.</summary>
    /// <exception cref="ConfigManagerException">CM2003 when the file exists but is not a valid lock file.</exception>
    public static PluginLockFile Open(string path) => Read(System.IO.Path.GetFullPath(path), mustExist: false);

    /// <summary>The pinned entry for this prefix (case-insensitive), if any.</summary>
    public PluginLockEntry? Find(string prefix) => _entries.GetValueOrDefault(prefix.ToLowerInvariant());

    /// <summary>Pins (or re-pins) a prefix.</summary>
    public void Set(PluginLockEntry entry) => _entries[entry.Prefix.ToLowerInvariant()] = entry with { Prefix = entry.Prefix.ToLowerInvariant() };

    /// <summary>Throws CM2005 when the prefix is not pinned, CM2004 when the binary's hash differs; returns the matching hash.</summary>
    public string Verify(string prefix, string binaryPath)
    {
        var expected = PinOf(prefix, binaryPath);
        var actual = ComputeSha256(binaryPath);
        if (!VerifiedCopy.Matches(actual, expected))
        {
            throw Mismatch(prefix, binaryPath, actual, expected);
        }

        return actual;
    }

    /// <summary>
    /// Copies the plugin into <paramref name="launchDirectory"/> (private, 0700) while hashing the bytes it
    /// copies, and returns the copy's path: what runs is exactly what was verified, whatever happens to
    /// <paramref name="binaryPath"/> afterwards. Throws CM2005/CM2004 like <see cref="Verify"/> and removes the copy.
    /// </summary>
    public string CopyVerified(string prefix, string binaryPath, string launchDirectory)
    {
        var expected = PinOf(prefix, binaryPath);
        return VerifiedCopy.Create(prefix, binaryPath, launchDirectory, expected, actual => Mismatch(prefix, binaryPath, actual, expected));
    }

    /// <summary>Writes the lock file atomically (readable by all: it holds hashes, not secrets).</summary>
    public Task SaveAsync(CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("plugins");
            foreach (var entry in _entries.Values)
            {
                writer.WriteStartObject(entry.Prefix);
                writer.WriteString("sha256", entry.Sha256);
                writer.WriteString("file", entry.File);
                writer.WriteString("source", entry.Source);
                if (entry.Package is not null)
                {
                    writer.WriteString("package", entry.Package);
                    writer.WriteString("version", entry.Version);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        const UnixFileMode shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        return AtomicFile.WriteTextAsync(Path, text, shared, cancellationToken);
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string ComputeSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    private string PinOf(string prefix, string binaryPath)
    {
        if (Find(prefix) is { } entry)
        {
            return entry.Sha256;
        }

        var key = prefix.ToLowerInvariant();
        throw new ConfigManagerException(
            PluginErrorCodes.NotPinned,
            $"The plugin for prefix {prefix} ({binaryPath}) is not pinned in the lock file {Path}. "
            + $"Add \"{key}\": {{\"sha256\": \"{ComputeSha256(binaryPath)}\"}} under \"plugins\" if you trust this binary.",
            binaryPath);
    }

    private ConfigManagerException Mismatch(string prefix, string binaryPath, string actual, string expected) => new(
        PluginErrorCodes.ChecksumMismatch,
        $"The plugin for prefix {prefix} at {binaryPath} has SHA-256 {actual}, but the lock file {Path} pins {expected}. "
        + "Refusing to launch it. Reinstall the pinned version, or update the lock file if the new binary is trusted.",
        binaryPath);

    private static PluginLockFile Read(string path, bool mustExist)
    {
        var entries = new SortedDictionary<string, PluginLockEntry>(StringComparer.Ordinal);
        if (Directory.Exists(path))
        {
            throw Invalid(path, "it is a directory, not a file");
        }

        if (!mustExist && !File.Exists(path))
        {
            return new PluginLockFile(path, entries);
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("plugins", out var plugins) || plugins.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "it has no \"plugins\" object");
            }

            foreach (var plugin in plugins.EnumerateObject())
            {
                var entry = ReadEntry(path, plugin);
                // Keys are case-insensitive: "mark" and "MARK" would otherwise let the last one win unseen.
                if (!entries.TryAdd(entry.Prefix, entry))
                {
                    throw Invalid(path, $"plugin \"{plugin.Name}\" is pinned more than once (keys are case-insensitive)");
                }
            }

            return new PluginLockFile(path, entries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw Invalid(path, ex.Message, ex);
        }
    }

    private static PluginLockEntry ReadEntry(string path, JsonProperty plugin)
    {
        if (plugin.Value.ValueKind != JsonValueKind.Object
            || !plugin.Value.TryGetProperty("sha256", out var sha)
            || sha.ValueKind != JsonValueKind.String
            || sha.GetString() is not { Length: 64 } hex
            || !hex.All(Uri.IsHexDigit))
        {
            throw Invalid(path, $"plugin \"{plugin.Name}\" needs \"sha256\": 64 hex digits");
        }

        string? Text(string name)
        {
            if (!plugin.Value.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(path, $"plugin \"{plugin.Name}\": \"{name}\" must be a string");
        }

        return new PluginLockEntry(plugin.Name.ToLowerInvariant(), Text("file") ?? string.Empty, hex.ToLowerInvariant(), Text("source") ?? string.Empty, Text("package"), Text("version"));
    }

    private static ConfigManagerException Invalid(string path, string why, Exception? inner = null) => new(
        PluginErrorCodes.LockFileInvalid,
        $"The plugin lock file {path} is not valid: {why}. Expected {{\"plugins\":{{\"<prefix>\":{{\"sha256\":\"<64 hex digits>\"}}}}}}. Fix or delete it.",
        inner: inner);
}
