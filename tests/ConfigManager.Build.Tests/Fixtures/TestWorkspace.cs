using System.Text.RegularExpressions;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>
/// A temp folder with a nuget.config (the run's local feed + nuget.org) and a <c>.configmanager/plugins</c> layout whose
/// plugins are wrapper scripts: each launch appends "&lt;parent pid&gt; &lt;prefix&gt;" to a log, then execs the real plugin.
/// Projects created below it find the plugins by the targets' default search (nearest .configmanager above the project).
/// </summary>
public sealed partial class TestWorkspace
{
    private TestWorkspace(string root) => Root = root;

    public string Root { get; }

    public string LaunchLog => Path.Combine(Root, "plugin-launches.log");

    /// <summary>Environment for every build in this workspace.</summary>
    public Dictionary<string, string?> Environment { get; } = new()
    {
        ["NUGET_PACKAGES"] = LocalPackageFeed.PackagesDirectory,
        ["CONFIGMANAGER_DIR"] = null,
    };

    public static TestWorkspace Create(string name)
    {
        var root = Path.Combine(LocalPackageFeed.RunRoot, name);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="configmanager-local" value="{LocalPackageFeed.FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);
        return new TestWorkspace(root);
    }

    /// <summary>Installs <paramref name="binary"/> as the plugin for <paramref name="prefix"/>, with extra variables only the plugin sees.</summary>
    public string InstallPlugin(string prefix, string binary, IReadOnlyDictionary<string, string>? pluginEnvironment = null)
    {
        var lower = prefix.ToLowerInvariant();
        var dir = Path.Combine(Root, ".configmanager", "plugins", lower);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{lower}-linux-amd64");
        var exports = string.Concat((pluginEnvironment ?? new Dictionary<string, string>())
            .Select(kv => $"export {kv.Key}='{kv.Value.Replace("'", "'\\''", StringComparison.Ordinal)}'\n"));
        File.WriteAllText(path, $"#!/bin/sh\necho \"$PPID {prefix}\" >> '{LaunchLog}'\nexport CMTEST_WORKSPACE='{Root}'\n{exports}exec '{binary}' \"$@\"\n");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The build tests install plugins as #!/bin/sh wrappers; run them on Linux or macOS.");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return path;
    }

    /// <summary>Each plugin launch as (parent process id, prefix); the parent is the MSBuild node that hosted the task.</summary>
    public IReadOnlyList<(int ParentPid, string Prefix)> Launches()
    {
        if (!File.Exists(LaunchLog))
        {
            return [];
        }

        return File.ReadAllLines(LaunchLog)
            .Select(line => LaunchLine().Match(line))
            .Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value))
            .ToArray();
    }

    [GeneratedRegex(@"^(\d+) (\S+)$")]
    private static partial Regex LaunchLine();
}
