using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ConfigManager.TestSupport;

/// <summary>
/// Publishes the first-party C# plugins (NativeAOT, this machine's platform) on demand into
/// <c>artifacts/plugins/.configmanager/plugins/&lt;prefix&gt;/&lt;prefix&gt;-&lt;goos&gt;-&lt;goarch&gt;</c> and returns
/// their paths. A publish is reused while the plugin's sources (SDK, plugin, protos, build props) hash
/// the same, across test runs and test processes.
/// </summary>
public static class CSharpPlugins
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
        FileLock.AcquireAsync(Path.Combine(LayoutRoot, ".stamps", "publish.lock"), TimeSpan.FromMinutes(40));

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

    /// <summary>SHA-256 over every input that changes the binary: SDK, plugin, protos, shared build files.</summary>
    /// <summary>Folders under plugins/ that the plugin's project references (e.g. plugins/AwsShared): their sources are the plugin's too.</summary>
    private static IEnumerable<string> SiblingReferences(CSharpPlugin plugin)
    {
        var project = Path.Combine(RepoPaths.Root, plugin.ProjectPath);
        var text = File.Exists(project) ? File.ReadAllText(project) : string.Empty;
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, "ProjectReference Include=\"\\.\\./([^./\\\\\"][^/\\\\\"]*)[/\\\\]"))
        {
            yield return Path.Combine("plugins", match.Groups[1].Value);
        }
    }

    private static string SourceHash(CSharpPlugin plugin)
    {
        var root = RepoPaths.Root;
        var files = new List<string>();
        foreach (var folder in new[] { "src/ConfigManager.PluginSdk", Path.GetDirectoryName(plugin.ProjectPath)!, "proto" }.Concat(SiblingReferences(plugin)))
        {
            files.AddRange(Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories)
                .Where(file => !IsBuildOutput(Path.GetRelativePath(root, file))));
        }

        files.AddRange(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "plugins/Directory.Build.targets" }
            .Select(file => Path.Combine(root, file))
            .Where(File.Exists));

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(GoPlatform.RuntimeIdentifier + "\n"));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file).Replace('\\', '/') + "\n"));
            sha.AppendData(File.ReadAllBytes(file));
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
