using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>
/// Packs every first-party plugin package except Env (which <see cref="PluginPackageFeed"/> packs for two RIDs) once per test
/// run, for this machine's RID only, from the binaries plugins/publish.sh (here <see cref="CSharpPlugins"/>) already put in
/// artifacts/plugins (<c>-p:PluginPackageFromLayout</c>): one restore and one pack for all of them, no second NativeAOT compile.
/// </summary>
public static class LayoutPluginPackages
{
    public const string Version = "0.1.0-layout";

    /// <summary>Package id, project and plugin of every package packed here.</summary>
    public static IReadOnlyList<(string PackageId, string Project, CSharpPlugin Plugin)> All { get; } =
    [
        ("ConfigManager.Plugin.AwsSecrets", @"plugins\AwsSecrets\AwsSecrets.csproj", CSharpPlugin.AwsSecrets),
        ("ConfigManager.Plugin.AwsParamStore", @"plugins\AwsParamStore\AwsParamStore.csproj", CSharpPlugin.AwsParamStore),
        ("ConfigManager.Plugin.AzAppConfig", @"plugins\AzAppConfig\AzAppConfig.csproj", CSharpPlugin.AzAppConfig),
        ("ConfigManager.Plugin.AzKeyVault", @"plugins\AzKeyVault\AzKeyVault.csproj", CSharpPlugin.AzKeyVault),
        ("ConfigManager.Plugin.AzTableStore", @"plugins\AzTableStore\AzTableStore.csproj", CSharpPlugin.AzTableStore),
        ("ConfigManager.Plugin.GcpSecrets", @"plugins\GcpSecrets\GcpSecrets.csproj", CSharpPlugin.GcpSecrets),
        ("ConfigManager.Plugin.Vault", @"plugins\Vault\Vault.csproj", CSharpPlugin.Vault),
    ];

    private static readonly Lazy<string> s_directory = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The .nupkg of <paramref name="packageId"/> (packs all of them on first use).</summary>
    public static string PackagePath(string packageId) => Path.Combine(s_directory.Value, $"{packageId}.{Version}.nupkg");

    private static string Pack()
    {
        Task.WhenAll(All.Select(p => CSharpPlugins.PublishAsync(p.Plugin))).GetAwaiter().GetResult();

        var directory = Path.Combine(RepoPaths.Artifacts, "test-plugin-packages");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var filter = Path.Combine(directory, "plugins.slnf");
        File.WriteAllText(filter, System.Text.Json.JsonSerializer.Serialize(new
        {
            solution = new { path = Path.Combine(RepoPaths.Root, "ConfigManager.sln"), projects = All.Select(p => p.Project).ToArray() },
        }));

        var environment = new Dictionary<string, string?>();
        var fromLayout = "-p:PluginPackageFromLayout=" + CSharpPlugins.LayoutRoot + "/";
        CommandResult pack;

        // Restore writes the obj/ of the plugins and ConfigManager.PluginSdk that publishes elsewhere write too.
        using (CSharpPlugins.LockBuildsAsync().GetAwaiter().GetResult())
        {
            // The same global properties for restore and pack: with the layout the outer evaluation needs no ILCompiler.
            var restore = Dotnet.Run(RepoPaths.Root, environment, TimeSpan.FromMinutes(10), "restore", filter, "-nologo", "-nr:false", fromLayout);
            pack = restore.Succeeded
                ? Dotnet.Run(
                    RepoPaths.Root, environment, TimeSpan.FromMinutes(10),
                    "pack", filter, "-c", "Release", "--no-build", "-nologo", "-nr:false", "-o", directory,
                    "-p:Version=" + Version, fromLayout)
                : restore;
        }

        if (!pack.Succeeded)
        {
            throw new InvalidOperationException("Packing the plugin packages from artifacts/plugins failed:\n" + pack);
        }

        return directory;
    }
}
