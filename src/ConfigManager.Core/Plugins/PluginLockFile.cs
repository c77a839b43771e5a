using System.Security.Cryptography;
using System.Text.Json;
using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Plugins;

/// <summary>
/// Pins plugin binaries by SHA-256: <c>{"plugins":{"env":{"sha256":"&lt;hex&gt;"}}}</c>, keys are lower-case
/// prefixes. When a lock file is in use, an unpinned or changed binary is refused before launch.
/// </summary>
public sealed class PluginLockFile
{
    /// <summary>Where the lock file is looked for when no path is given, relative to the working directory.</summary>
    public const string DefaultRelativePath = ".configmanager/plugins.lock.json";

    private readonly Dictionary<string, string> _sha256ByPrefix;

    private PluginLockFile(string path, Dictionary<string, string> sha256ByPrefix)
    {
        Path = path;
        _sha256ByPrefix = sha256ByPrefix;
    }

    public string Path { get; }

    /// <summary>Pinned prefixes (lower case) and their SHA-256 (lower-case hex).</summary>
    public IReadOnlyDictionary<string, string> Pins => _sha256ByPrefix;

    /// <summary>
    /// Loads <paramref name="explicitPath"/> (must exist), else <c>&lt;workingDirectory&gt;/.configmanager/plugins.lock.json</c>
    /// when present; null when no lock file is in use.
    /// </summary>
    public static PluginLockFile? Load(string? explicitPath, string workingDirectory)
    {
        var path = explicitPath ?? System.IO.Path.Combine(workingDirectory, DefaultRelativePath);
        if (explicitPath is null && Directory.Exists(path))
        {
            // Silently ignoring it would switch pinning off for whoever can create a folder there.
            throw Invalid(path, "it is a directory, not a file");
        }

        if (explicitPath is null && !File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            var pins = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!document.RootElement.TryGetProperty("plugins", out var plugins) || plugins.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "it has no \"plugins\" object");
            }

            foreach (var plugin in plugins.EnumerateObject())
            {
                if (plugin.Value.ValueKind != JsonValueKind.Object
                    || !plugin.Value.TryGetProperty("sha256", out var sha)
                    || sha.ValueKind != JsonValueKind.String
                    || !IsSha256Hex(sha.GetString()!))
                {
                    throw Invalid(path, $"plugin \"{plugin.Name}\" needs \"sha256\": 64 hex digits");
                }

                // Keys are case-insensitive: "mark" and "MARK" would otherwise let the last one win unseen.
                if (!pins.TryAdd(plugin.Name.ToLowerInvariant(), sha.GetString()!.ToLowerInvariant()))
                {
                    throw Invalid(path, $"plugin \"{plugin.Name}\" is pinned more than once (keys are case-insensitive)");
                }
            }

            return new PluginLockFile(path, pins);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw Invalid(path, ex.Message, ex);
        }
    }

    /// <summary>Throws CM2005 when the prefix is not pinned, CM2004 when the binary's hash differs.</summary>
    public void Verify(string prefix, string binaryPath)
    {
        var key = prefix.ToLowerInvariant();
        if (!_sha256ByPrefix.TryGetValue(key, out var expected))
        {
            throw new ConfigManagerException(
                PluginErrorCodes.NotPinned,
                $"The plugin for prefix {prefix} ({binaryPath}) is not pinned in the lock file {Path}. "
                + $"Add \"{key}\": {{\"sha256\": \"{ComputeSha256(binaryPath)}\"}} under \"plugins\" if you trust this binary.",
                binaryPath);
        }

        var actual = ComputeSha256(binaryPath);
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(actual), Convert.FromHexString(expected)))
        {
            throw Mismatch(prefix, binaryPath, actual, expected);
        }
    }

    private ConfigManagerException Mismatch(string prefix, string binaryPath, string actual, string expected) => new(
        PluginErrorCodes.ChecksumMismatch,
        $"The plugin for prefix {prefix} at {binaryPath} has SHA-256 {actual}, but the lock file {Path} pins {expected}. "
        + "Refusing to launch it. Reinstall the pinned version, or update the lock file if the new binary is trusted.",
        binaryPath);

    /// <summary>
    /// Copies the plugin into <paramref name="launchDirectory"/> (private, 0700) while hashing the bytes it
    /// copies, and returns the copy's path: what runs is exactly what was verified, whatever happens to
    /// <paramref name="binaryPath"/> afterwards. Throws CM2005/CM2004 like <see cref="Verify"/> and removes the copy.
    /// </summary>
    public string CopyVerified(string prefix, string binaryPath, string launchDirectory)
    {
        var key = prefix.ToLowerInvariant();
        if (!_sha256ByPrefix.ContainsKey(key))
        {
            Verify(prefix, binaryPath);
        }

        var expected = _sha256ByPrefix[key];
        return VerifiedCopy.Create(prefix, binaryPath, launchDirectory, expected, actual => Mismatch(prefix, binaryPath, actual, expected));
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string ComputeSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(Uri.IsHexDigit);

    private static ConfigManagerException Invalid(string path, string why, Exception? inner = null) => new(
        PluginErrorCodes.LockFileInvalid,
        $"The plugin lock file {path} is not valid: {why}. Expected {{\"plugins\":{{\"<prefix>\":{{\"sha256\":\"<64 hex digits>\"}}}}}}.",
        inner: inner);
}
