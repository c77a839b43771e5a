namespace ConfigManager.Core.Install;

/// <summary>
/// configmanager's on-disk layout: <c>{root}/.configmanager/plugins/{prefix}/{prefix}-{goos}-{goarch}</c>, searched
/// in the explicit directory (else <c>$CONFIGMANAGER_DIR</c>), then the working directory, then the home directory.
/// </summary>
public sealed class PluginLayout
{
    /// <summary>The folder under a root that holds configmanager's files.</summary>
    public const string ConfigFolder = ".configmanager";

    /// <summary>The environment variable configmanager reads for its root.</summary>
    public const string RootVariable = "CONFIGMANAGER_DIR";

    /// <summary>Lock file name, beside the plugins folder.</summary>
    public const string LockFileName = "plugins.lock.json";

    public PluginLayout(IReadOnlyList<string> roots, PluginPlatform platform)
    {
        Roots = roots;
        Platform = platform;
    }

    /// <summary>Roots in search order; the first is where <c>init</c> installs.</summary>
    public IReadOnlyList<string> Roots { get; }

    public PluginPlatform Platform { get; }

    /// <summary>The search order for this process: explicit dir or $CONFIGMANAGER_DIR, working dir, home.</summary>
    public static PluginLayout ForProcess(string? explicitRoot, string? workingDirectory = null)
    {
        var roots = new List<string>();
        void AddRoot(string? root)
        {
            if (!string.IsNullOrEmpty(root))
            {
                var full = Path.GetFullPath(root);
                if (!roots.Contains(full))
                {
                    roots.Add(full);
                }
            }
        }

        AddRoot(explicitRoot ?? Environment.GetEnvironmentVariable(RootVariable));
        AddRoot(workingDirectory ?? Directory.GetCurrentDirectory());
        AddRoot(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        return new PluginLayout(roots, PluginPlatform.Current);
    }

    /// <summary>Where <c>init</c> installs: the first root.</summary>
    public string InstallRoot => Roots[0];

    /// <summary>The lock file of the install root.</summary>
    public string LockFilePath => Path.Combine(InstallRoot, ConfigFolder, LockFileName);

    /// <summary>The plugin path for <paramref name="prefix"/> under <paramref name="root"/>.</summary>
    public string PathUnder(string root, string prefix)
        => Path.Combine(root, ConfigFolder, "plugins", prefix.ToLowerInvariant(), Platform.FileNameFor(prefix));

    /// <summary>Every path tried for <paramref name="prefix"/>, in order, and the first that is an executable file.</summary>
    public PluginLookup Find(string prefix)
    {
        var tried = Roots.Select(root => PathUnder(root, prefix)).ToList();
        return new PluginLookup(prefix.ToUpperInvariant(), tried.FirstOrDefault(IsExecutableFile), tried);
    }

    /// <summary>Upper-cased prefixes that have a plugin folder in any root (so the engine recognises them).</summary>
    public IReadOnlyList<string> InstalledPrefixes()
    {
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in Roots)
        {
            var plugins = Path.Combine(root, ConfigFolder, "plugins");
            if (!Directory.Exists(plugins))
            {
                continue;
            }

            foreach (var folder in Directory.EnumerateDirectories(plugins))
            {
                var name = Path.GetFileName(folder);
                if (name.Length > 0 && name.All(char.IsAsciiLetterOrDigit) && File.Exists(Path.Combine(folder, Platform.FileNameFor(name))))
                {
                    prefixes.Add(name.ToUpperInvariant());
                }
            }
        }

        return prefixes.ToList();
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        return OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
