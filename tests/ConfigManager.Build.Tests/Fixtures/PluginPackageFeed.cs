using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>
/// Packs ConfigManager.Plugin.Env once per test run (NativeAOT for this machine's RID, the slow part) into the run's local
/// feed with the run's ConfigManager.MSBuild version, and writes workspaces whose NuGet.Config lists that feed only.
/// </summary>
public static class PluginPackageFeed
{
    public const string EnvPackageId = "ConfigManager.Plugin.Env";

    private static readonly Lazy<string> s_version = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The version packed for this run (packs on first use); the same as <see cref="LocalPackageFeed.Version"/>.</summary>
    public static string Version => s_version.Value;

    /// <summary>The packed .nupkg.</summary>
    public static string EnvPackagePath => Path.Combine(LocalPackageFeed.FeedDirectory, $"{EnvPackageId}.{Version}.nupkg");

    /// <summary>Where restore extracts the Env plugin for <paramref name="packagesDirectory"/> (NUGET_PACKAGES).</summary>
    public static string ExtractedEnvBinary(string packagesDirectory)
        => Path.Combine(packagesDirectory, EnvPackageId.ToLowerInvariant(), Version, "runtimes", "linux-x64", "native", "env-linux-amd64");

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

        var project = Path.Combine(RepoPaths.Root, "plugins", "Env", "Env.csproj");
        var result = Dotnet.Run(
            RepoPaths.Root,
            new Dictionary<string, string?>(),
            TimeSpan.FromMinutes(15),
            "pack", project, "-c", "Release", "-m:1", "-nr:false", "-o", LocalPackageFeed.FeedDirectory, "-p:Version=" + version);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Packing ConfigManager.Plugin.Env failed:\n" + result);
        }

        return version;
    }
}
