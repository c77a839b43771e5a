using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests;

/// <summary>
/// The layout of the packed plugins: ConfigManager.Plugin.Env packed for real (what the build finds in it and what it must
/// not carry), and every other plugin's package packed from the already published binaries (<see cref="LayoutPluginPackages"/>).
/// </summary>
[TestClass]
public sealed partial class PluginPackageLayoutTests
{
    private const string Binary = "runtimes/linux-x64/native/env-linux-amd64";

    private static string Text(ZipArchive package, string entry)
    {
        using var reader = new StreamReader(package.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    [TestMethod]
    public void Package_has_the_native_binary_build_and_buildTransitive_assets_and_a_readme_and_nothing_else()
    {
        using var package = ZipFile.OpenRead(PluginPackageFeed.EnvPackagePath);
        var id = PluginPackageFeed.EnvPackageId;

        var entries = package.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml").Order(StringComparer.Ordinal).ToArray();

        CollectionAssert.AreEqual(
            new[] { id + ".nuspec", "README.md", $"build/{id}.props", $"build/{id}.targets", $"buildTransitive/{id}.props", $"buildTransitive/{id}.targets", Binary }.Order(StringComparer.Ordinal).ToArray(),
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
    public void Props_declare_the_prefix_the_binary_its_sha256_and_the_rids_the_package_has()
    {
        using var package = ZipFile.OpenRead(PluginPackageFeed.EnvPackagePath);
        var props = XDocument.Parse(Text(package, $"build/{PluginPackageFeed.EnvPackageId}.props"));
        byte[] binary;
        using (var stream = package.GetEntry(Binary)!.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            binary = copy.ToArray();
        }

        var items = props.Descendants().Where(e => e.Name.LocalName == "ConfigManagerPlugin").ToArray();
        var withBinary = items.Single(i => i.Attribute("Path")!.Value.Length > 0);
        var without = items.Single(i => i.Attribute("Path")!.Value.Length == 0);

        Assert.AreEqual("env", withBinary.Attribute("Include")!.Value);
        Assert.AreEqual("$(MSBuildThisFileDirectory)../" + Binary, withBinary.Attribute("Path")!.Value);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(binary)), withBinary.Attribute("Sha256")!.Value);
        Assert.AreEqual(PluginPackageFeed.EnvPackageId, withBinary.Attribute("PackageId")!.Value);
        Assert.AreEqual(PluginPackageFeed.Version, withBinary.Attribute("PackageVersion")!.Value);
        Assert.AreEqual("linux-x64", withBinary.Attribute("AvailableRids")!.Value);
        StringAssert.Contains(withBinary.Attribute("Condition")!.Value, "'$(NETCoreSdkRuntimeIdentifier)' == 'linux-x64'");
        Assert.AreEqual(string.Empty, without.Attribute("Sha256")!.Value);
        StringAssert.Contains(without.Attribute("Condition")!.Value, "!= 'linux-x64'");
    }

    [TestMethod]
    public void Readme_says_which_rids_are_NativeAOT_with_their_sha256()
    {
        using var package = ZipFile.OpenRead(PluginPackageFeed.EnvPackagePath);
        var readme = Text(package, "README.md");

        StringAssert.Contains(readme, $"<PackageReference Include=\"{PluginPackageFeed.EnvPackageId}\" Version=\"{PluginPackageFeed.Version}\" PrivateAssets=\"all\" />");
        Assert.IsTrue(RidRow().IsMatch(readme), readme);
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

        byte[] packed;
        using (var stream = package.GetEntry(binary)!.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            packed = copy.ToArray();
        }

        CollectionAssert.AreEqual(File.ReadAllBytes(CSharpPlugins.PathOf(plugin)), packed, "the binary plugins/publish.sh published");
        var item = XDocument.Parse(Text(package, $"build/{id}.props")).Descendants().Where(e => e.Name.LocalName == "ConfigManagerPlugin").Single(i => i.Attribute("Path")!.Value.Length > 0);
        Assert.AreEqual(plugin.Prefix, item.Attribute("Include")!.Value);
        Assert.AreEqual("$(MSBuildThisFileDirectory)../" + binary, item.Attribute("Path")!.Value);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(packed)), item.Attribute("Sha256")!.Value);
        Assert.AreEqual(id, item.Attribute("PackageId")!.Value);
    }

    [GeneratedRegex(@"\| linux-x64 \| `runtimes/linux-x64/native/env-linux-amd64` \| NativeAOT \| `[0-9a-f]{64}` \|")]
    private static partial Regex RidRow();
}
