using System.Runtime.InteropServices;
using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Plugins;

/// <summary>
/// Finds <c>.configmanager/plugins/&lt;p&gt;/&lt;p&gt;-&lt;goos&gt;-&lt;goarch&gt;</c> under, in order: the explicit
/// plugin directory (default <c>$CONFIGMANAGER_DIR</c>), the working directory, the user's home. A plugin
/// declared by a package (<see cref="Packaged"/>) is used for its prefix ahead of that search.
/// </summary>
public sealed class PluginLocator
{
    private readonly IReadOnlyList<string> _roots;

    public PluginLocator(string? pluginDirectory = null, string? workingDirectory = null, string? homeDirectory = null)
    {
        var roots = new List<string>();
        AddRoot(roots, pluginDirectory ?? Environment.GetEnvironmentVariable("CONFIGMANAGER_DIR"));
        AddRoot(roots, workingDirectory ?? Environment.CurrentDirectory);
        AddRoot(roots, homeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        _roots = roots;
    }

    /// <summary>Plugins delivered by NuGet packages; each wins over the search for its prefix.</summary>
    public IReadOnlyList<PackagedPlugin> Packaged { get; init; } = [];

    /// <summary>When not empty, a plugin outside these folders (real path) is refused with CM2041 (see docs/plugins.md trust model).</summary>
    public TrustedPluginRoots Trusted { get; init; } = new(null);

    /// <summary>The directories searched, in order (each holds <c>.configmanager/plugins</c>).</summary>
    public IReadOnlyList<string> SearchRoots => _roots;

    /// <summary>The first search root: where <c>init</c> installs, and where the lock file of those plugins lives.</summary>
    public string InstallRoot => _roots[0];

    /// <summary>
    /// The working directory both front ends search (the task from the project's folder, the tool from the current
    /// directory): the nearest folder at or above <paramref name="start"/> that holds <c>.configmanager</c>, else
    /// <paramref name="start"/> itself, as git finds <c>.git</c>.
    /// </summary>
    public static string NearestWorkingDirectory(string start)
    {
        var first = Path.GetFullPath(start);
        for (var dir = new DirectoryInfo(first); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".configmanager")))
            {
                return dir.FullName;
            }
        }

        return first;
    }

    /// <summary>The plugins folder of a search root: <c>{root}/.configmanager/plugins</c>.</summary>
    public static string PluginsFolder(string root) => Path.Combine(root, ".configmanager", "plugins");

    /// <summary>Where the plugin for <paramref name="prefix"/> lives under <paramref name="root"/>: <c>{root}/.configmanager/plugins/{p}/{p}-{goos}-{goarch}</c>.</summary>
    public static string LayoutPath(string root, string prefix)
        => Path.Combine(PluginsFolder(root), prefix.ToLowerInvariant(), GoPlatform.PluginFileName(prefix));

    /// <summary>Every path where the plugin for <paramref name="prefix"/> may live, in search order.</summary>
    public IReadOnlyList<string> CandidatePaths(string prefix)
    {
        return _roots.Select(root => LayoutPath(root, prefix)).ToList();
    }

    /// <summary>The first candidate that exists, or the list of every path tried.</summary>
    public PluginLocation Find(string prefix)
    {
        if (FindPackaged(prefix) is { } package)
        {
            var path = string.IsNullOrEmpty(package.Path) ? null : System.IO.Path.GetFullPath(package.Path);
            return new PluginLocation(prefix, path, path is null ? [] : [path], package);
        }

        var candidates = CandidatePaths(prefix);
        var found = candidates.FirstOrDefault(File.Exists);
        return new PluginLocation(prefix, found, candidates);
    }

    /// <summary>
    /// Upper-cased prefixes that have a plugin for this platform under any search root, so the engine
    /// recognises an installed plugin's prefix without configuration (e.g. ENV).
    /// </summary>
    public IReadOnlyList<string> InstalledPrefixes()
    {
        var prefixes = new SortedSet<string>(Packaged.Select(p => p.Prefix.ToUpperInvariant()), StringComparer.Ordinal);
        foreach (var root in _roots)
        {
            var plugins = PluginsFolder(root);
            if (!Directory.Exists(plugins))
            {
                continue;
            }

            foreach (var folder in Directory.EnumerateDirectories(plugins))
            {
                var name = Path.GetFileName(folder);
                if (PluginPrefix.IsValidInAnyCase(name)
                    && File.Exists(Path.Combine(folder, GoPlatform.PluginFileName(name))))
                {
                    prefixes.Add(name.ToUpperInvariant());
                }
            }
        }

        return prefixes.ToList();
    }

    /// <summary>
    /// Like <see cref="Find"/>, but throws CM2001 (missing), CM2002 (not executable), and for a packaged plugin
    /// CM2006 (no binary for this runtime). A packaged binary's mode is not checked (NuGet extraction drops the
    /// executable bit): the launch runs a private 0700 copy after checking the recorded hash (CM2004).
    /// </summary>
    public string FindExecutable(string prefix)
    {
        var location = Find(prefix);
        if (location.Package is { } package)
        {
            var packaged = PackagedBinary(prefix, package, location.Path);
            Trusted.Check(prefix, packaged);
            return packaged;
        }

        if (location.Path is null)
        {
            throw new ConfigManagerException(
                PluginErrorCodes.NotFound,
                $"No plugin for prefix {prefix}. Looked in:{Environment.NewLine}"
                + string.Join(Environment.NewLine, location.PathsTried.Select(p => "  " + p))
                + $"{Environment.NewLine}Install it with `dotnet configmanager init --plugin {prefix.ToLowerInvariant()}`, "
                + "or set CONFIGMANAGER_DIR to the directory that holds .configmanager/plugins.");
        }

        if (!IsExecutable(location.Path))
        {
            throw new ConfigManagerException(
                PluginErrorCodes.NotExecutable,
                $"The plugin for prefix {prefix} at {location.Path} is not executable. "
                + $"Run `chmod +x {location.Path}` or reinstall it with `dotnet configmanager init --plugin {prefix.ToLowerInvariant()}`.",
                location.Path);
        }

        // Checked before anything of the plugin runs (the lock check and the launch come after).
        Trusted.Check(prefix, location.Path);
        return location.Path;
    }

    private PackagedPlugin? FindPackaged(string prefix)
        => Packaged.FirstOrDefault(p => string.Equals(p.Prefix, prefix, StringComparison.OrdinalIgnoreCase));

    private static string PackagedBinary(string prefix, PackagedPlugin package, string? path)
    {
        if (path is null)
        {
            throw new ConfigManagerException(
                PluginErrorCodes.PackageLacksRuntime,
                $"Package {package.PackageId} {package.PackageVersion} has no plugin binary for prefix {prefix} for runtime "
                + (string.IsNullOrEmpty(package.RuntimeIdentifier) ? RuntimeInformation.RuntimeIdentifier : package.RuntimeIdentifier)
                + " (the build's; ConfigManagerPluginRuntimeIdentifier selects another); it has: "
                + (package.AvailableRids.Count == 0 ? "(none)" : string.Join(", ", package.AvailableRids))
                + $". Build on one of those, or install a binary for this platform with `dotnet configmanager init --plugin {prefix.ToLowerInvariant()} --source <folder or URL>` and remove the package reference.");
        }

        if (!File.Exists(path))
        {
            throw new ConfigManagerException(
                PluginErrorCodes.NotFound,
                $"Package {package.PackageId} {package.PackageVersion} declares the plugin for prefix {prefix} at {path}, but no file is there. Run `dotnet restore` again.",
                path);
        }

        // The hash (CM2004) is checked by the launch on the bytes it copies and runs: see PackagedPluginCheck.
        return path;
    }

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    private static void AddRoot(List<string> roots, string? root)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            return;
        }

        var full = Path.GetFullPath(root);
        if (!roots.Contains(full, StringComparer.Ordinal))
        {
            roots.Add(full);
        }
    }
}
