using System.Security.Cryptography;
using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Plugins;

/// <summary>
/// Copies a plugin binary into a launch's private folder as an owner-only executable (0700) while hashing the
/// bytes it copies: what runs is exactly what was verified, whatever happens to the source afterwards, and the
/// source's own mode does not matter (NuGet extracts package files without their executable bit).
/// </summary>
internal static class VerifiedCopy
{
    /// <summary>
    /// Returns the copy's path when its SHA-256 equals <paramref name="expectedSha256"/>; otherwise deletes the copy
    /// and throws what <paramref name="mismatch"/> makes of the actual hash. A copy that cannot be made is CM2010.
    /// </summary>
    public static string Create(string prefix, string binaryPath, string launchDirectory, string expectedSha256, Func<string, ConfigManagerException> mismatch)
    {
        var copy = Path.Combine(launchDirectory, Path.GetFileName(binaryPath));
        string actual;
        try
        {
            using var source = File.OpenRead(binaryPath);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            }

            using (var target = new FileStream(copy, options))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    target.Write(buffer, 0, read);
                }

                actual = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(copy);
            throw new ConfigManagerException(
                PluginErrorCodes.StartFailed,
                $"The plugin for prefix {prefix} ({binaryPath}) could not be copied to its private launch folder {launchDirectory}: {ex.Message}. "
                + "Check that the plugin is readable and TMPDIR is writable.",
                binaryPath,
                ex);
        }

        if (!Matches(actual, expectedSha256))
        {
            File.Delete(copy);
            throw mismatch(actual);
        }

        return copy;
    }

    /// <summary>Constant-time comparison of two hex SHA-256 strings; false when <paramref name="expected"/> is not 64 hex digits.</summary>
    public static bool Matches(string actual, string expected)
    {
        var trimmed = expected.Trim();
        return trimmed.Length == 64 && trimmed.All(Uri.IsHexDigit)
            && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(actual), Convert.FromHexString(trimmed));
    }
}
