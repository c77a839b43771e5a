using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ConfigManager.Core.Plugins;
using ConfigManager.Tool.Install;

namespace ConfigManager.Tool.Tests.Support;

/// <summary>
/// Plugin packages as the packaging targets make them, served as a NuGet v3 feed on loopback (static service index and
/// flat container), with a NuGet.Config that clears every other source so no request leaves the machine.
/// </summary>
public static class LoopbackNuGetFeed
{
    /// <summary>A .nupkg with the binary for this RID (or <paramref name="rid"/>) and build props recording its SHA-256.</summary>
    public static byte[] Package(string packageId, string prefix, string version, byte[] binary, string? rid = null, string? recordedSha256 = null)
    {
        rid ??= PluginPackageReader.RuntimeIdentifier;
        var file = GoPlatform.PluginFileName(prefix);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] content)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(content);
            }

            Add(packageId + ".nuspec", Encoding.UTF8.GetBytes($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{packageId}</id><version>{version}</version><authors>test</authors><description>test plugin</description><developmentDependency>true</developmentDependency></metadata>
                </package>
                """));
            Add($"runtimes/{rid}/native/{file}", binary);
            Add($"build/{packageId}.props", Encoding.UTF8.GetBytes($"""
                <Project><ItemGroup>
                  <ConfigManagerPlugin Include="{prefix}" Path="$(MSBuildThisFileDirectory)../runtimes/{rid}/native/{file}" Sha256="{recordedSha256 ?? Convert.ToHexStringLower(SHA256.HashData(binary))}" PackageId="{packageId}" PackageVersion="{version}" AvailableRids="{rid}" />
                </ItemGroup></Project>
                """));
        }

        return buffer.ToArray();
    }

    /// <summary>Serves the packages as a v3 feed at <c>{BaseUrl}/v3/index.json</c> and writes <paramref name="configDirectory"/>/NuGet.Config naming only it.</summary>
    public static LoopbackFileServer Serve(string configDirectory, string packageId, params (string Version, byte[] Package)[] packages)
    {
        var server = new LoopbackFileServer();
        var id = packageId.ToLowerInvariant();
        server.Add("/v3/index.json", Encoding.UTF8.GetBytes($$"""{"version":"3.0.0","resources":[{"@id":"{{server.BaseUrl}}/flat/","@type":"PackageBaseAddress/3.0.0"}]}"""), "application/json");
        server.Add($"/flat/{id}/index.json", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { versions = packages.Select(p => p.Version).ToArray() })), "application/json");
        foreach (var (version, package) in packages)
        {
            server.Add($"/flat/{id}/{version}/{id}.{version}.nupkg", package, "application/octet-stream");
        }

        File.WriteAllText(Path.Combine(configDirectory, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="loopback" value="{server.BaseUrl}/v3/index.json" /></packageSources></configuration>
            """);
        return server;
    }
}
