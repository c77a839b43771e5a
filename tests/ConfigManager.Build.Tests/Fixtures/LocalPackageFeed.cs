using System.Globalization;
using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>
/// Packs ConfigManager.MSBuild once per test run into artifacts/packages with a version unique to the run, and
/// gives every consumer build a run-private NuGet package folder, so no cache can serve a stale copy.
/// </summary>
public static class LocalPackageFeed
{
    public const string PackageId = "ConfigManager.MSBuild";

    /// <summary>The inner-loop runtime companion, packed with the same version.</summary>
    public const string OverlayPackageId = "ConfigManager.Extensions.Configuration";

    private static readonly Lazy<string> s_version = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Everything a test run writes: consumer projects, the private package folder.</summary>
    public static string RunRoot { get; } = Path.Combine(
        Path.GetTempPath(),
        "cm-build-tests-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId);

    public static string FeedDirectory => Path.Combine(RepoPaths.Artifacts, "packages");

    /// <summary>NUGET_PACKAGES for consumer builds.</summary>
    public static string PackagesDirectory => Path.Combine(RunRoot, "nuget-packages");

    /// <summary>The version packed for this run (packs on first use).</summary>
    public static string Version => s_version.Value;

    private static string Pack()
    {
        var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId;
        Directory.CreateDirectory(FeedDirectory);
        foreach (var id in new[] { PackageId, OverlayPackageId })
        {
            foreach (var stale in Directory.EnumerateFiles(FeedDirectory, id + ".0.1.0-test.*.nupkg"))
            {
                File.Delete(stale);
            }
        }

        foreach (var folder in new[] { "ConfigManager.Tasks", "ConfigManager.Extensions.Configuration" })
        {
            var project = Path.Combine(RepoPaths.Root, "src", folder, folder + ".csproj");
            var result = Dotnet.Run(
                RepoPaths.Root,
                new Dictionary<string, string?>(),
                TimeSpan.FromMinutes(5),
                "pack", project, "-c", "Release", "-m:1", "-nr:false", "-o", FeedDirectory, "-p:Version=" + version);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Packing {folder} failed:\n" + result);
            }
        }

        return version;
    }
}
