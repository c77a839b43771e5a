namespace ConfigManager.TestSupport;

/// <summary>Locations inside the repository checkout, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConfigManager.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ConfigManager.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (holds ConfigManager.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>Shared, git-ignored output folder for test builds (plugins, packages, Go binaries).</summary>
    public static string Artifacts => Path.Combine(Root, "artifacts");
}
