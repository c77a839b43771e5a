using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.Install;

/// <summary>
/// Where <c>init</c> puts plugins: the first search root of the <see cref="PluginLocator"/> (explicit directory,
/// else <c>$CONFIGMANAGER_DIR</c>, else the working directory), as
/// <c>{root}/.configmanager/plugins/{prefix}/{prefix}-{goos}-{goarch}</c>, with the lock file beside the plugins.
/// </summary>
public sealed class InstallLayout(PluginLocator locator)
{
    /// <summary>Lock file path relative to a root (the host reads the same file).</summary>
    public const string LockFileRelativePath = PluginLockFile.DefaultRelativePath;

    public PluginLocator Locator { get; } = locator;

    /// <summary>Where <c>init</c> installs: the first search root.</summary>
    public string InstallRoot => Locator.SearchRoots[0];

    /// <summary>The lock file of the install root.</summary>
    public string LockFilePath => Path.Combine(InstallRoot, LockFileRelativePath);

    /// <summary>The plugin path for <paramref name="prefix"/> under the install root, named for this platform.</summary>
    public string PluginPath(string prefix)
        => Path.Combine(InstallRoot, ".configmanager", "plugins", prefix.ToLowerInvariant(), GoPlatform.PluginFileName(prefix));

    /// <summary>Upper-cased prefixes with a plugin for this platform in any search root (so the engine recognises them).</summary>
    public IReadOnlyList<string> InstalledPrefixes()
    {
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in Locator.SearchRoots)
        {
            var plugins = Path.Combine(root, ".configmanager", "plugins");
            if (!Directory.Exists(plugins))
            {
                continue;
            }

            foreach (var folder in Directory.EnumerateDirectories(plugins))
            {
                var name = Path.GetFileName(folder);
                if (name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit)
                    && File.Exists(Path.Combine(folder, GoPlatform.PluginFileName(name))))
                {
                    prefixes.Add(name.ToUpperInvariant());
                }
            }
        }

        return prefixes.ToList();
    }
}
