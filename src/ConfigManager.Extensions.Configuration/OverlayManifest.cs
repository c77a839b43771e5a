namespace ConfigManager.Extensions.Configuration;

/// <summary>
/// What the build resolved, read from <c>&lt;AssemblyName&gt;.configmanager-overlay.txt</c> beside the app assembly
/// (written by ConfigManager.MSBuild, copied to the output folder only, never to publish): the project folder whose
/// sources were resolved, and the resolved files' paths relative to the output folder. Holds no value.
/// </summary>
internal sealed record OverlayManifest(string Directory, string ProjectDirectory, IReadOnlySet<string> Files)
{
    public const string Suffix = ".configmanager-overlay.txt";

    public static OverlayManifest? Read(string directory, string assemblyName)
    {
        var path = Path.Combine(directory, assemblyName + Suffix);
        if (!File.Exists(path))
        {
            return null;
        }

        string? project = null;
        var files = new HashSet<string>(PathComparer);
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("project=", StringComparison.Ordinal))
            {
                project = line["project=".Length..];
            }
            else if (line.StartsWith("file=", StringComparison.Ordinal))
            {
                files.Add(Normalize(line["file=".Length..]));
            }
        }

        return string.IsNullOrEmpty(project) ? null : new OverlayManifest(directory, project, files);
    }

    public static StringComparer PathComparer => OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>A relative path as the manifest and configuration sources spell it: forward slashes, no leading ./.</summary>
    public static string Normalize(string relative)
    {
        var path = relative.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path;
    }

    public bool IsProjectDirectory(string? contentRoot)
        => !string.IsNullOrEmpty(contentRoot) && PathComparer.Equals(Trim(Path.GetFullPath(contentRoot)), Trim(Path.GetFullPath(ProjectDirectory)));

    private static string Trim(string path) => path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
}
