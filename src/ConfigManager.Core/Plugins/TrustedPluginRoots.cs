using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Plugins;

/// <summary>
/// The opt-in rule for untrusted checkouts (<c>--trusted-plugin-root</c>, <c>ConfigManagerTrustedPluginRoots</c>):
/// when roots are given, a plugin runs only if its real path (symbolic links resolved) lies inside one of them,
/// else CM2041. Without roots every plugin found is trusted, as before.
/// </summary>
public sealed class TrustedPluginRoots
{
    /// <summary>The code for a plugin outside every trusted root.</summary>
    public const string OutsideCode = "CM2041";

    private readonly IReadOnlyList<string> _roots;

    public TrustedPluginRoots(IEnumerable<string>? roots)
        => _roots = (roots ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(RealDirectory).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Whether any root was given (the rule is off otherwise).</summary>
    public bool IsEnabled => _roots.Count > 0;

    /// <summary>The roots, as real absolute paths.</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <summary>Throws CM2041 unless the rule is off or <paramref name="pluginPath"/>'s real path is under a root.</summary>
    public void Check(string prefix, string pluginPath)
    {
        if (!IsEnabled)
        {
            return;
        }

        var real = RealFile(pluginPath);
        if (_roots.Any(root => real.StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)))
        {
            return;
        }

        throw new ConfigManagerException(
            OutsideCode,
            $"The plugin for prefix {prefix} at {pluginPath}{(real == Path.GetFullPath(pluginPath) ? string.Empty : $" (really {real})")} is outside the trusted plugin roots "
            + $"({string.Join(", ", _roots.Select(r => r.TrimEnd(Path.DirectorySeparatorChar)))}), so it was not started. "
            + "If you trust it, add its folder with --trusted-plugin-root (tool) or ConfigManagerTrustedPluginRoots (MSBuild); otherwise remove it from the checkout.",
            pluginPath);
    }

    // Real path with a trailing separator, so /opt/cm does not admit /opt/cm-evil.
    private static string RealDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        var real = Directory.Exists(full) ? (new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full) : full;
        real = ResolveParents(real);
        return Path.EndsInDirectorySeparator(real) ? real : real + Path.DirectorySeparatorChar;
    }

    private static string RealFile(string path)
    {
        var full = Path.GetFullPath(path);
        var target = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full : full;
        return Path.Combine(ResolveParents(Path.GetDirectoryName(target)!), Path.GetFileName(target));
    }

    // Resolves links in every ancestor folder as well (ResolveLinkTarget only follows the last component).
    private static string ResolveParents(string directory)
    {
        var parts = new Stack<string>();
        var current = Path.GetFullPath(directory);
        while (Path.GetDirectoryName(current) is { } parent)
        {
            var info = new DirectoryInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                if (target is not null)
                {
                    current = ResolveParents(target);
                    break;
                }
            }

            parts.Push(info.Name);
            current = parent;
        }

        return parts.Aggregate(current, Path.Combine);
    }
}
