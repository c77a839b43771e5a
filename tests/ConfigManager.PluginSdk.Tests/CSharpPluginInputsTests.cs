using System.Text.Json;
using System.Text.RegularExpressions;
using ConfigManager.TestSupport;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>
/// <see cref="CSharpPlugins"/> re-publishes a plugin only when the hash of <see cref="CSharpPlugins.InputFiles"/> changes:
/// that list must hold every repository file MSBuild reads to build the plugin (a file it misses, as
/// plugins/Packaging/PluginPackage.targets once was, leaves a stale binary in every later test run). Checked against
/// MSBuild itself: the files it imports (<c>-pp</c>) and the items it compiles (<c>-getItem</c>), for the plugin and every
/// project it references.
/// </summary>
[TestClass]
public sealed partial class CSharpPluginInputsTests
{
    private static readonly string[] s_itemTypes = ["Compile", "Protobuf", "ProjectReference", "EmbeddedResource", "None", "Content"];

    [TestMethod]
    [DataRow("env", DisplayName = "env (NativeAOT, the SDK only)")]
    [DataRow("awssecrets", DisplayName = "awssecrets (references plugins/AwsShared)")]
    [DataRow("aztablestore", DisplayName = "aztablestore (single-file)")]
    public async Task Publish_stamp_hashes_every_repository_file_msbuild_reads_for_the_plugin_and_its_references(string prefix)
    {
        var plugin = new[] { CSharpPlugin.Env, CSharpPlugin.AwsSecrets, CSharpPlugin.AzTableStore }.Single(p => p.Prefix == prefix);
        var inputs = CSharpPlugins.InputFiles(plugin).ToHashSet(StringComparer.Ordinal);

        var read = await FilesMsBuildReadsAsync(Path.GetFullPath(Path.Combine(RepoPaths.Root, plugin.ProjectPath)));

        var missing = read.Where(file => !inputs.Contains(file)).Order(StringComparer.Ordinal).ToArray();
        Assert.AreEqual(0, missing.Length, "read by MSBuild, not hashed: " + string.Join(", ", missing));
        foreach (var expected in new[] { "plugins/Packaging/PluginPackage.targets", "plugins/Directory.Build.targets", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "src/Shared/PluginProtocol.cs", "proto/token_store.proto" })
        {
            Assert.IsTrue(inputs.Contains(expected), expected + " is not hashed");
        }

        Assert.IsFalse(inputs.Any(file => file.Split('/').Contains("obj") || file.Split('/').Contains("bin")), "build outputs are not inputs");
        Assert.IsFalse(inputs.Any(file => file.StartsWith("plugins/go/", StringComparison.Ordinal) || file.StartsWith("tests/", StringComparison.Ordinal)), "nothing the C# build does not read");
    }

    /// <summary>Repository files (relative, bin/ and obj/ aside) that evaluating <paramref name="project"/> and its references imports or lists as items.</summary>
    private static async Task<SortedSet<string>> FilesMsBuildReadsAsync(string project)
    {
        var root = Path.GetFullPath(RepoPaths.Root);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var projects = new Queue<string>([project]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (projects.TryDequeue(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            var preprocessed = Path.Combine(Path.GetTempPath(), $"cm-inputs-{Guid.NewGuid():N}.xml");
            try
            {
                await MsBuildAsync(next, "-pp:" + preprocessed);
                // -pp names each imported file on a line of its own inside the comment that precedes its content.
                foreach (Match match in Regex.Matches(await File.ReadAllTextAsync(preprocessed), "^" + Regex.Escape(root + "/") + @"(?<path>\S+)\s*$", RegexOptions.Multiline))
                {
                    files.Add(match.Groups["path"].Value);
                }
            }
            finally
            {
                File.Delete(preprocessed);
            }

            using var items = JsonDocument.Parse(await MsBuildAsync(next, [.. s_itemTypes.Select(type => "-getItem:" + type)]));
            foreach (var type in items.RootElement.GetProperty("Items").EnumerateObject())
            {
                foreach (var item in type.Value.EnumerateArray())
                {
                    var fullPath = Path.GetFullPath(item.GetProperty("FullPath").GetString()!);
                    if (type.Name == "ProjectReference")
                    {
                        projects.Enqueue(fullPath);
                    }

                    if (fullPath.StartsWith(root + "/", StringComparison.Ordinal))
                    {
                        files.Add(Path.GetRelativePath(root, fullPath));
                    }
                }
            }
        }

        files.RemoveWhere(file => file.Split('/').Contains("obj") || file.Split('/').Contains("bin"));
        return files;
    }

    private static async Task<string> MsBuildAsync(string project, params string[] arguments)
    {
        // A test host launched by `dotnet test` carries MSBuild variables meant for itself; no MSBuild server may outlive the run.
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .Select(key => (key, (string?)null))
            .Append(("DOTNET_CLI_USE_MSBUILD_SERVER", "0"));
        var result = await ChildProcess.RunAsync("dotnet", ["msbuild", project, "-nologo", "-nr:false", .. arguments], HangGuard.Limit(TimeSpan.FromMinutes(5)), environment);
        Assert.AreEqual(0, result.Code, $"dotnet msbuild {project} {string.Join(' ', arguments)}:\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }
}
