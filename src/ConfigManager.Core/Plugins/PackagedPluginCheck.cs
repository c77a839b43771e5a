using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Plugins;

/// <summary>
/// The lock file's rule for a package-delivered plugin: before launch, the binary's SHA-256 must equal the one its
/// package recorded at pack time (CM2004). The package cache is shared and its files lose their executable bit on
/// extraction, so the launch runs a verified private copy and never changes the cache.
/// </summary>
internal static class PackagedPluginCheck
{
    /// <summary>Copies <paramref name="path"/> into <paramref name="launchDirectory"/> (0700) while hashing it; the copy runs.</summary>
    public static string CopyVerified(string prefix, PackagedPlugin package, string path, string launchDirectory)
        => VerifiedCopy.Create(prefix, path, launchDirectory, package.Sha256, actual => Mismatch(prefix, package, path, actual));

    /// <summary>Verifies in place (Windows: no private launch folder, and no executable bit to lose).</summary>
    public static void Verify(string prefix, PackagedPlugin package, string path)
    {
        var actual = PluginLockFile.ComputeSha256(path);
        if (!VerifiedCopy.Matches(actual, package.Sha256))
        {
            throw Mismatch(prefix, package, path, actual);
        }
    }

    private static ConfigManagerException Mismatch(string prefix, PackagedPlugin package, string path, string actual) => new(
        PluginErrorCodes.ChecksumMismatch,
        $"The plugin for prefix {prefix} at {path} has SHA-256 {actual}, but package {package.PackageId} {package.PackageVersion} recorded {package.Sha256.Trim().ToLowerInvariant()} when it was packed. "
        + "Refusing to launch it. The package cache was modified: clear it (`dotnet nuget locals global-packages --clear`) and restore again.",
        path);
}
