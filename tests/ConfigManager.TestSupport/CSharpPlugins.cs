using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ConfigManager.TestSupport;

/// <summary>
/// Publishes the first-party C# plugins (NativeAOT, this machine's platform) on demand into
/// <c>artifacts/plugins/.configmanager/plugins/&lt;prefix&gt;/&lt;prefix&gt;-&lt;goos&gt;-&lt;goarch&gt;</c> and returns
/// their paths. A publish is reused while the plugin's inputs (<see cref="InputFiles"/>: its sources, the SDK's, the
/// protos, every build file that shapes the binary) hash the same, across test runs and test processes.
/// </summary>
public static partial class CSharpPlugins
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> s_published = new();

    /// <summary><c>artifacts/plugins</c>: pass it as <c>PluginHostOptions.PluginDirectory</c> to find every C# plugin.</summary>
    public static string LayoutRoot => Path.Combine(RepoPaths.Artifacts, "plugins");

    /// <summary>The path of the ENV plugin, published if needed.</summary>
    public static Task<string> EnvPluginAsync(CancellationToken cancellationToken = default) => PublishAsync(CSharpPlugin.Env, cancellationToken);

    /// <summary>The path of the AZTABLESTORE plugin, published if needed.</summary>
    public static Task<string> AzTableStorePluginAsync(CancellationToken cancellationToken = default) => PublishAsync(CSharpPlugin.AzTableStore, cancellationToken);

    /// <summary>The path of the C# test plugin (prefix CSTEST), published if needed.</summary>
    public static Task<string> TestPluginAsync(CancellationToken cancellationToken = default) => PublishAsync(CSharpPlugin.TestPlugin, cancellationToken);

    /// <summary>Where <paramref name="plugin"/>'s executable lives in the layout (whether or not it is published yet).</summary>
    public static string PathOf(CSharpPlugin plugin) =>
        Path.Combine(LayoutRoot, ".configmanager", "plugins", plugin.Prefix, $"{plugin.Prefix}-{GoPlatform.Os}-{GoPlatform.Arch}{GoPlatform.ExecutableSuffix}");

    /// <summary>
    /// The lock every plugin publish here holds: hold it too around any other build, restore or pack of plugin projects
    /// (they write the same obj/ files of ConfigManager.PluginSdk and the plugins). Not re-entrant: never nest it.
    /// </summary>
    public static Task<FileLock> LockBuildsAsync() =>
        FileLock.AcquireAsync(Path.Combine(LayoutRoot, ".stamps", "publish.lock"), HangGuard.Limit(TimeSpan.FromMinutes(40)));

    /// <summary>Publishes <paramref name="plugin"/> unless an up-to-date copy exists; returns its path.</summary>
    public static Task<string> PublishAsync(CSharpPlugin plugin, CancellationToken cancellationToken = default) =>
        s_published.GetOrAdd(plugin.Prefix, _ => new Lazy<Task<string>>(() => PublishCoreAsync(plugin))).Value.WaitAsync(cancellationToken);

    private static async Task<string> PublishCoreAsync(CSharpPlugin plugin)
    {
        var target = PathOf(plugin);
        var stamp = Path.Combine(LayoutRoot, ".stamps", plugin.Prefix + ".sha256");
        var hash = SourceHash(plugin);
        Directory.CreateDirectory(Path.GetDirectoryName(stamp)!);
        if (await IsUpToDateAsync(target, stamp, hash))
        {
            return target; // the stamp is written after the binary: no need to wait for another plugin's publish
        }

        // One publish at a time, across plugins and test processes: every plugin references ConfigManager.PluginSdk (and
        // the AWS ones AwsShared), and two publishes at once write the same obj/ files of those projects (e.g.
        // ConfigManager.PluginSdk.deps.json) and fail. On 2 cores a serial NativeAOT compile is no slower in total.
        // The wait covers the publishes ahead of this one (2-4 min each under load).
        using var publishLock = await LockBuildsAsync();
        if (await IsUpToDateAsync(target, stamp, hash))
        {
            return target;
        }

        var started = Stopwatch.StartNew();
        var output = await DotnetPublishAsync(plugin);
        if (!File.Exists(target))
        {
            throw new InvalidOperationException($"dotnet publish of {plugin.ProjectPath} did not produce {target}:\n{output}");
        }

        await File.WriteAllTextAsync(stamp, hash);
        Console.WriteLine($"published {plugin.Prefix} plugin in {started.Elapsed.TotalSeconds:F0} s -> {target}");
        return target;
    }

    private static async Task<bool> IsUpToDateAsync(string target, string stamp, string hash)
        => File.Exists(target) && File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == hash;

    private static async Task<string> DotnetPublishAsync(CSharpPlugin plugin)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", Path.Combine(RepoPaths.Root, plugin.ProjectPath), "-c", "Release", "-r", GoPlatform.RuntimeIdentifier,
            "-m:1", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // A test host launched by `dotnet test` carries MSBuild variables meant for itself, not for a nested build.
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        // No MSBuild server or compiler server may outlive the test run.
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish {plugin.ProjectPath} failed with exit code {process.ExitCode}:\n{output}");
        }

        return output;
    }

    /// <summary>
    /// The files whose content decides <paramref name="plugin"/>'s binary, relative to the repository root ('/'-separated,
    /// ordinal order): every file (bin/ and obj/ aside) of the plugin's folder and of each project it references,
    /// transitively (ConfigManager.PluginSdk, plugins/AwsShared); the folders those projects compile from outside their
    /// own (<c>Include="../..."</c>: src/Shared, proto); and the build files MSBuild reads for them: every
    /// Directory.Build.props/.targets, Directory.Packages.props and NuGet.Config from a project's folder up to the root,
    /// global.json, and what those import by a literal path (plugins/Packaging/PluginPackage.targets). Reads only the
    /// project and build files' text: no MSBuild evaluation (the test of this list compares it with one).
    /// </summary>
    public static IReadOnlyList<string> InputFiles(CSharpPlugin plugin)
    {
        var root = Path.GetFullPath(RepoPaths.Root);
        var files = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var buildFiles = new HashSet<string>(StringComparer.Ordinal);
        var projects = new Queue<string>([Path.GetFullPath(Path.Combine(root, plugin.ProjectPath))]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (projects.TryDequeue(out var project))
        {
            if (!seen.Add(project) || !File.Exists(project))
            {
                continue;
            }

            var projectDirectory = Path.GetDirectoryName(project)!;
            folders.Add(projectDirectory);
            foreach (System.Text.RegularExpressions.Match match in RelativeInclude().Matches(File.ReadAllText(project)))
            {
                var included = Path.GetFullPath(Path.Combine(projectDirectory, match.Groups["path"].Value.Replace('\\', '/')));
                if (match.Groups["kind"].Value == "ProjectReference")
                {
                    projects.Enqueue(included);
                }
                else
                {
                    // A file or a glob (../../proto/plugin/*.proto): its whole folder.
                    folders.Add(Path.GetDirectoryName(included)!);
                }
            }

            for (var directory = projectDirectory; directory.Length >= root.Length; directory = Path.GetDirectoryName(directory)!)
            {
                foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.Config", "nuget.config" })
                {
                    var candidate = Path.Combine(directory, name);
                    if (File.Exists(candidate))
                    {
                        buildFiles.Add(candidate);
                    }
                }

                if (directory == root)
                {
                    break;
                }
            }
        }

        buildFiles.Add(Path.Combine(root, "global.json"));
        var pending = new Queue<string>(buildFiles);
        while (pending.TryDequeue(out var buildFile))
        {
            if (!File.Exists(buildFile))
            {
                continue;
            }

            files.Add(buildFile);
            foreach (System.Text.RegularExpressions.Match match in LiteralImport().Matches(File.ReadAllText(buildFile)))
            {
                var imported = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(buildFile)!, match.Groups["path"].Value.Replace('\\', '/')));
                if (imported.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !files.Contains(imported))
                {
                    pending.Enqueue(imported);
                }
            }
        }

        foreach (var folder in folders.Where(Directory.Exists))
        {
            files.UnionWith(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(file => !IsBuildOutput(Path.GetRelativePath(root, file))));
        }

        return [.. files.Select(file => Path.GetRelativePath(root, file).Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    /// <summary>An item of a project file included by a path relative to it that leaves its folder (<c>Include="../..."</c>).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"<(?<kind>\w+)\s+Include=""(?<path>\.\.[/\\][^""$;]*)""")]
    private static partial System.Text.RegularExpressions.Regex RelativeInclude();

    /// <summary>An import of a build file by a literal path (not <c>$(...)</c>; those are the Directory.Build.* found above).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"<Import\s+Project=""(?<path>[^""$;*]+)""")]
    private static partial System.Text.RegularExpressions.Regex LiteralImport();

    /// <summary>SHA-256 over <see cref="InputFiles"/> (names and contents) and this machine's RID.</summary>
    private static string SourceHash(CSharpPlugin plugin)
    {
        var root = RepoPaths.Root;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(GoPlatform.RuntimeIdentifier + "\n"));
        foreach (var file in InputFiles(plugin))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(root, file)));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static bool IsBuildOutput(string relativePath)
    {
        var parts = relativePath.Replace('\\', '/').Split('/');
        return parts.Contains("bin") || parts.Contains("obj");
    }

    /// <summary>This machine's platform as go-plugin and .NET name it.</summary>
    private static class GoPlatform
    {
        public static string Os =>
            OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux";

        public static string Arch => RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "386",
            Architecture.Arm => "arm",
            var other => throw new PlatformNotSupportedException(other.ToString()),
        };

        public static string ExecutableSuffix => OperatingSystem.IsWindows() ? ".exe" : string.Empty;

        public static string RuntimeIdentifier =>
            (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" +
            RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
    }
}
