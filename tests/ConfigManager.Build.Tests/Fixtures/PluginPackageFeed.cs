using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>
/// Packs ConfigManager.Plugin.Env once per test run into the run's local feed with the run's ConfigManager.MSBuild version,
/// for two RIDs: linux-x64 (NativeAOT, the binary <see cref="CSharpPlugins"/> already published, taken from the layout
/// with <c>-p:PluginPackageFromLayout</c>: no second NativeAOT compile) and linux-musl-x64 (self-contained single-file
/// from its runtime pack), the list given escaped as on a command line. Writes workspaces whose NuGet.Config lists that
/// feed only.
/// </summary>
public static class PluginPackageFeed
{
    public const string EnvPackageId = "ConfigManager.Plugin.Env";

    /// <summary>The SDK's RID here: NativeAOT.</summary>
    public const string AotRid = "linux-x64";

    /// <summary>The other RID packed: self-contained single-file, trimmed.</summary>
    public const string MuslRid = "linux-musl-x64";

    /// <summary>Every RID the package has, in the order packed.</summary>
    public static IReadOnlyList<string> Rids { get; } = [AotRid, MuslRid];

    private static readonly Lazy<string> s_version = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The version packed for this run (packs on first use); the same as <see cref="LocalPackageFeed.Version"/>.</summary>
    public static string Version => s_version.Value;

    /// <summary>The packed .nupkg.</summary>
    public static string EnvPackagePath => Path.Combine(LocalPackageFeed.FeedDirectory, $"{EnvPackageId}.{Version}.nupkg");

    /// <summary>Where restore extracts the Env plugin for <paramref name="rid"/> (default linux-x64) into <paramref name="packagesDirectory"/> (NUGET_PACKAGES).</summary>
    public static string ExtractedEnvBinary(string packagesDirectory, string rid = AotRid)
        => Path.Combine(packagesDirectory, EnvPackageId.ToLowerInvariant(), Version, "runtimes", rid, "native", "env-linux-amd64");

    /// <summary>
    /// A workspace whose NuGet.Config has the run's local feed and nothing else (no request leaves the machine), and
    /// whose plugins see CMTEST_WORKSPACE so <see cref="PluginProcesses"/> can find any left running.
    /// </summary>
    public static TestWorkspace Workspace(string name)
    {
        var workspace = TestWorkspace.Create(name);
        File.WriteAllText(Path.Combine(workspace.Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="configmanager-local" value="{LocalPackageFeed.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        workspace.Environment["CMTEST_WORKSPACE"] = workspace.Root;
        return workspace;
    }

    /// <summary>The plugin's package reference as the README shows it (the project already references ConfigManager.MSBuild).</summary>
    public static string EnvReference()
        => $"""<PackageReference Include="{EnvPackageId}" Version="{Version}" PrivateAssets="all" />""";

    private static string Pack()
    {
        var version = LocalPackageFeed.Version;
        foreach (var stale in Directory.EnumerateFiles(LocalPackageFeed.FeedDirectory, EnvPackageId + ".0.1.0-test.*.nupkg"))
        {
            File.Delete(stale);
        }

        // The NativeAOT binary other test classes run; published once, reused here.
        CSharpPlugins.EnvPluginAsync().GetAwaiter().GetResult();
        var project = Path.Combine(RepoPaths.Root, "plugins", "Env", "Env.csproj");
        CommandResult result;
        using (CSharpPlugins.LockBuildsAsync().GetAwaiter().GetResult())
        {
            result = Dotnet.Run(
                RepoPaths.Root,
                new Dictionary<string, string?>(),
                TimeSpan.FromMinutes(15),
                "pack", project, "-c", "Release", "-m:1", "-nr:false", "-o", LocalPackageFeed.FeedDirectory, "-p:Version=" + version,
                "-p:PluginPackageRids=" + string.Join("%3B", Rids), "-p:PluginPackageFromLayout=" + CSharpPlugins.LayoutRoot + "/");
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Packing ConfigManager.Plugin.Env failed:\n" + result);
        }

        return version;
    }
}
