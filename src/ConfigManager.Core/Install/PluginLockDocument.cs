using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Output;

namespace ConfigManager.Core.Install;

/// <summary>
/// The plugin lock file as <c>init</c> edits it: read, pin, save (<c>.configmanager/plugins.lock.json</c>, in the
/// format the host verifies with <see cref="Plugins.PluginLockFile"/>: <c>{"plugins":{"&lt;prefix&gt;":{"sha256":"&lt;hex&gt;"}}}</c>),
/// adding the informational <c>file</c> and <c>source</c>. Prefixes are sorted so it diffs cleanly.
/// </summary>
public sealed class PluginLockDocument
{
    private readonly SortedDictionary<string, PluginLockEntry> _entries = new(StringComparer.Ordinal);

    private PluginLockDocument(string path) => Path = path;

    public string Path { get; }

    public IReadOnlyCollection<PluginLockEntry> Entries => _entries.Values;

    /// <summary>Reads the lock file, or starts an empty one when it does not exist.</summary>
    /// <exception cref="ConfigManagerException">CM5055 when the file exists but is not a valid lock file.</exception>
    public static async Task<PluginLockDocument> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var lockFile = new PluginLockDocument(System.IO.Path.GetFullPath(path));
        if (!System.IO.File.Exists(lockFile.Path))
        {
            return lockFile;
        }

        try
        {
            var bytes = await System.IO.File.ReadAllBytesAsync(lockFile.Path, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(bytes);
            foreach (var item in document.RootElement.GetProperty("plugins").EnumerateObject())
            {
                var sha = item.Value.GetProperty("sha256").GetString()!;
                if (sha.Length != 64 || !sha.All(Uri.IsHexDigit))
                {
                    throw new InvalidOperationException($"plugin \"{item.Name}\" needs \"sha256\": 64 hex digits");
                }

                var entry = new PluginLockEntry(
                    item.Name.ToLowerInvariant(),
                    item.Value.TryGetProperty("file", out var file) ? file.GetString() ?? string.Empty : string.Empty,
                    sha.ToLowerInvariant(),
                    item.Value.TryGetProperty("source", out var source) ? source.GetString() ?? string.Empty : string.Empty,
                    item.Value.TryGetProperty("package", out var package) ? package.GetString() : null,
                    item.Value.TryGetProperty("version", out var version) ? version.GetString() : null);
                lockFile._entries[entry.Prefix] = entry;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException or NullReferenceException)
        {
            throw new ConfigManagerException(
                ToolErrorCodes.LockUnreadable,
                $"The plugin lock file '{lockFile.Path}' is not valid ({ex.Message}). Fix or delete it, then run 'dotnet configmanager init' again.",
                inner: ex);
        }

        return lockFile;
    }

    /// <summary>The pinned entry for this prefix, if any (one pin per prefix, as the host checks it).</summary>
    public PluginLockEntry? Find(string prefix) => _entries.GetValueOrDefault(prefix.ToLowerInvariant());

    public void Set(PluginLockEntry entry) => _entries[entry.Prefix.ToLowerInvariant()] = entry with { Prefix = entry.Prefix.ToLowerInvariant() };

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

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static async Task<string> Sha256OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)).ToLowerInvariant();
    }

    internal static Diagnostic MismatchDiagnostic(string prefix, string pluginPath, string expected, string actual, string lockPath)
        => new(
            ToolErrorCodes.LockMismatch,
            DiagnosticSeverity.Error,
            $"Plugin for prefix {prefix.ToUpperInvariant()} does not match the lock file '{lockPath}': expected SHA-256 {expected}, found {actual}. "
            + "If you replaced the plugin on purpose, run 'dotnet configmanager init --plugin " + prefix.ToLowerInvariant() + " --source ...' to re-pin it; otherwise restore the pinned binary.",
            File: lockPath,
            PluginPath: pluginPath);
}
