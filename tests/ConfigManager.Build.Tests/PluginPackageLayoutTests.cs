using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests;

/// <summary>
/// The layout of the packed plugins: ConfigManager.Plugin.Env packed for two RIDs, linux-x64 NativeAOT and linux-musl-x64
/// single-file (<see cref="PluginPackageFeed"/>: what the build finds in it and what it must not carry), and every other
/// plugin's package packed from the already published binaries (<see cref="LayoutPluginPackages"/>).
/// </summary>
[TestClass]
public sealed partial class PluginPackageLayoutTests
{
    private const string Binary = "runtimes/linux-x64/native/env-linux-amd64";

    private const string MuslBinary = "runtimes/linux-musl-x64/native/env-linux-amd64";

    private static byte[] Bytes(ZipArchive package, string entry)
    {
        using var stream = package.GetEntry(entry)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Text(ZipArchive package, string entry)
    {
        using var reader = new StreamReader(package.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    [TestMethod]
    public void Package_has_a_native_binary_per_rid_build_and_buildTransitive_assets_and_a_readme_and_nothing_else()
    {
        using var package = ZipFile.OpenRead(PluginPackageFeed.EnvPackagePath);
        var id = PluginPackageFeed.EnvPackageId;

        var entries = package.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml").Order(StringComparer.Ordinal).ToArray();

        CollectionAssert.AreEqual(
            new[] { id + ".nuspec", "README.md", $"build/{id}.props", $"build/{id}.targets", $"buildTransitive/{id}.props", $"buildTransitive/{id}.targets", Binary, MuslBinary }.Order(StringComparer.Ordinal).ToArray(),
            entries,
            string.Join(", ", entries));
        Assert.IsFalse(package.Entries.Any(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal)), "no lib/ assets");
        Assert.AreEqual(Text(package, $"build/{id}.props"), Text(package, $"buildTransitive/{id}.props"));
    }

    [TestMethod]
    public void Nuspec_is_a_development_dependency_with_no_dependencies()
    {
        using var package = ZipFile.OpenRead(PluginPackageFeed.EnvPackagePath);
        var nuspec = XDocument.Parse(Text(package, PluginPackageFeed.EnvPackageId + ".nuspec"));
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");

        Assert.AreEqual("true", metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value);
        Assert.AreEqual(PluginPackageFeed.Version, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
        Assert.IsFalse(metadata.Descendants().Any(e => e.Name.LocalName == "dependency"), nuspec.ToString());
        Assert.AreEqual("README.md", metadata.Elements().Single(e => e.Name.LocalName == "readme").Value);
    }

    [TestMethod]
    public void Linux_x64_binary_is_the_NativeAOT_one_the_layout_holds_and_the_musl_one_a_separate_single_file_build()
    {
        using var package = ZipFile.OpenRead(PluginPackageFeed.EnvPackagePath);

        // -p:PluginPackageFromLayout: the binary CSharpPlugins published, byte for byte, not a second compile.
        CollectionAssert.AreEqual(File.ReadAllBytes(CSharpPlugins.PathOf(CSharpPlugin.Env)), Bytes(package, Binary));
        var musl = Bytes(package, MuslBinary);
        CollectionAssert.AreNotEqual(Bytes(package, Binary), musl);
        // A .NET single-file bundle carries this signature; a NativeAOT binary does not.
        Assert.IsTrue(musl.AsSpan().IndexOf(BundleSignature) >= 0, "the linux-musl-x64 binary is a single-file bundle");
        Assert.IsFalse(Bytes(package, Binary).AsSpan().IndexOf(BundleSignature) >= 0, "the linux-x64 binary is NativeAOT");
        // Trimmed it is 14.7 MiB; untrimmed (no ILLink pack restored: trimming is then skipped without a word) 49.6 MiB.
        Assert.IsTrue(musl.Length < 30 * 1024 * 1024, $"the linux-musl-x64 binary is {musl.Length} bytes: not trimmed?");
    }

    [TestMethod]
    public void Props_declare_the_prefix_and_per_rid_the_binary_its_sha256_and_the_rids_the_package_has()
    {
        using var package = ZipFile.OpenRead(PluginPackageFeed.EnvPackagePath);
        var props = XDocument.Parse(Text(package, $"build/{PluginPackageFeed.EnvPackageId}.props"));

        var items = props.Descendants().Where(e => e.Name.LocalName == "ConfigManagerPlugin").ToArray();
        var without = items.Single(i => i.Attribute("Path")!.Value.Length == 0);
        Assert.AreEqual(3, items.Length, props.ToString());
        foreach (var (rid, entry) in new[] { ("linux-x64", Binary), ("linux-musl-x64", MuslBinary) })
        {
            var item = items.Single(i => i.Attribute("Path")!.Value == "$(MSBuildThisFileDirectory)../" + entry);
            Assert.AreEqual("env", item.Attribute("Include")!.Value);
            Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(Bytes(package, entry))), item.Attribute("Sha256")!.Value, rid);
            Assert.AreEqual(PluginPackageFeed.EnvPackageId, item.Attribute("PackageId")!.Value);
            Assert.AreEqual(PluginPackageFeed.Version, item.Attribute("PackageVersion")!.Value);
            Assert.AreEqual("linux-x64;linux-musl-x64", item.Attribute("AvailableRids")!.Value);
            StringAssert.Contains(item.Attribute("Condition")!.Value, $"'$(ConfigManagerPluginRuntimeIdentifier)' == '{rid}'");
            StringAssert.Contains(item.Attribute("Condition")!.Value, $"'$(NETCoreSdkRuntimeIdentifier)' == '{rid}'");
            StringAssert.Contains(without.Attribute("Condition")!.Value, $"!= '{rid}'");
        }

        Assert.AreEqual("linux-x64;linux-musl-x64", without.Attribute("AvailableRids")!.Value);
        Assert.AreEqual(string.Empty, without.Attribute("Sha256")!.Value);
    }

    [TestMethod]
    public void Readme_says_which_rids_are_NativeAOT_with_their_sha256()
    {
        using var package = ZipFile.OpenRead(PluginPackageFeed.EnvPackagePath);
        var readme = Text(package, "README.md");

        StringAssert.Contains(readme, $"<PackageReference Include=\"{PluginPackageFeed.EnvPackageId}\" Version=\"{PluginPackageFeed.Version}\" PrivateAssets=\"all\" />");
        Assert.IsTrue(RidRow().IsMatch(readme), readme);
        Assert.IsTrue(MuslRidRow().IsMatch(readme), readme);
    }

    [TestMethod]
    [DataRow("ConfigManager.Plugin.AwsSecrets")]
    [DataRow("ConfigManager.Plugin.AwsParamStore")]
    [DataRow("ConfigManager.Plugin.AzAppConfig")]
    [DataRow("ConfigManager.Plugin.AzKeyVault")]
    [DataRow("ConfigManager.Plugin.AzTableStore")]
    [DataRow("ConfigManager.Plugin.GcpSecrets")]
    [DataRow("ConfigManager.Plugin.Vault")]
    public void Every_plugin_package_has_its_binary_props_declaring_prefix_path_and_sha256_and_no_lib_or_dependencies(string id)
    {
        var plugin = LayoutPluginPackages.All.Single(p => p.PackageId == id).Plugin;
        var binary = $"runtimes/linux-x64/native/{plugin.Prefix}-linux-amd64";
        using var package = ZipFile.OpenRead(LayoutPluginPackages.PackagePath(id));

        var entries = package.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml").Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(
            new[] { id + ".nuspec", "README.md", $"build/{id}.props", $"build/{id}.targets", $"buildTransitive/{id}.props", $"buildTransitive/{id}.targets", binary }.Order(StringComparer.Ordinal).ToArray(),
            entries,
            string.Join(", ", entries));
        Assert.AreEqual(Text(package, $"build/{id}.props"), Text(package, $"buildTransitive/{id}.props"));

        var metadata = XDocument.Parse(Text(package, id + ".nuspec")).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.AreEqual("true", metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value);
        Assert.IsFalse(metadata.Descendants().Any(e => e.Name.LocalName == "dependency"), metadata.ToString());

        var packed = Bytes(package, binary);

        CollectionAssert.AreEqual(File.ReadAllBytes(CSharpPlugins.PathOf(plugin)), packed, "the binary plugins/publish.sh published");
        var item = XDocument.Parse(Text(package, $"build/{id}.props")).Descendants().Where(e => e.Name.LocalName == "ConfigManagerPlugin").Single(i => i.Attribute("Path")!.Value.Length > 0);
        Assert.AreEqual(plugin.Prefix, item.Attribute("Include")!.Value);
        Assert.AreEqual("$(MSBuildThisFileDirectory)../" + binary, item.Attribute("Path")!.Value);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(packed)), item.Attribute("Sha256")!.Value);
        Assert.AreEqual(id, item.Attribute("PackageId")!.Value);
    }

    private static ReadOnlySpan<byte> BundleSignature =>
    [
        // SHA-256 of ".net core bundle": what the SDK's bundler writes after a single-file app's host.
        0x8b, 0x12, 0x02, 0xb9, 0x6a, 0x61, 0x20, 0x38, 0x72, 0x7b, 0x93, 0x02, 0x14, 0xd7, 0xa0, 0x32,
        0x13, 0xf5, 0xb9, 0xe6, 0xef, 0xae, 0x33, 0x18, 0xee, 0x3b, 0x2d, 0xce, 0x24, 0xb3, 0x6a, 0xae,
    ];

    [GeneratedRegex(@"\| linux-x64 \| `runtimes/linux-x64/native/env-linux-amd64` \| NativeAOT \| `[0-9a-f]{64}` \|")]
    private static partial Regex RidRow();

    [GeneratedRegex(@"\| linux-musl-x64 \| `runtimes/linux-musl-x64/native/env-linux-amd64` \| self-contained single-file, trimmed \| `[0-9a-f]{64}` \|")]
    private static partial Regex MuslRidRow();
}
