using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ConfigManager.Build.Tests.Fixtures;

namespace ConfigManager.Build.Tests;

/// <summary>
/// Blazor WebAssembly: wwwroot/appsettings*.json are static web assets, public by nature. They are served as written
/// (CM4055 when they hold tokens), and the precompressed copies and the endpoints manifest describe exactly those bytes;
/// the server project's own appsettings.json is resolved as usual.
/// </summary>
[TestClass]
public sealed class BlazorTests
{
    private const string ClientSettings = """
        { "ApiKey": "GOTEST://env/CMTEST_SECRET", "Title": "plain" }

        """;

    [TestMethod]
    public void Blazor_WebAssembly_app_builds_and_publishes_with_its_wwwroot_settings_unresolved_and_CM4055()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Blazor_WebAssembly_app_builds_and_publishes_with_its_wwwroot_settings_unresolved_and_CM4055));
        var project = NewFromTemplate(workspace, "WasmApp", "blazorwasm");
        var settings = Path.Combine(project, "wwwroot", "appsettings.json");
        File.WriteAllText(settings, ClientSettings);
        var csproj = Path.Combine(project, "WasmApp.csproj");

        var build = Dotnet.Run(project, workspace.Environment, TimeSpan.FromMinutes(6), "build", csproj, "-m:1", "-nr:false", "-v:m");
        Scenario.AssertSucceeded(build);
        AssertOneCM4055(build, settings);

        var publishDir = Path.Combine(project, "out");
        var publish = Dotnet.Run(project, workspace.Environment, TimeSpan.FromMinutes(8), "publish", csproj, "-m:1", "-nr:false", "-v:m", "-o", publishDir);
        Scenario.AssertSucceeded(publish);
        AssertServedAsWritten(publishDir, "WasmApp", settings);
        Assert.AreEqual(0, workspace.Launches().Count, "Only static web assets hold tokens: no plugin starts.");
        AssertSecretNowhere(project, secret, build, publish);
    }

    [TestMethod]
    public void Blazor_Web_App_with_a_WebAssembly_client_resolves_the_server_settings_and_leaves_the_client_settings_public_as_written()
    {
        var (workspace, secret) = Scenario.WithGoPlugin(nameof(Blazor_Web_App_with_a_WebAssembly_client_resolves_the_server_settings_and_leaves_the_client_settings_public_as_written));
        var root = NewFromTemplate(workspace, "WebAppWasm", "blazor", "--interactivity", "WebAssembly");
        var server = Path.Combine(root, "WebAppWasm");
        var client = Path.Combine(root, "WebAppWasm.Client");
        AddPackage(Path.Combine(client, "WebAppWasm.Client.csproj"));
        File.WriteAllText(Path.Combine(server, "appsettings.json"), Scenario.AppSettings);
        var clientSettings = Path.Combine(client, "wwwroot", "appsettings.json");
        File.WriteAllText(clientSettings, ClientSettings);
        var csproj = Path.Combine(server, "WebAppWasm.csproj");

        var build = Dotnet.Run(server, workspace.Environment, TimeSpan.FromMinutes(6), "build", csproj, "-m:1", "-nr:false", "-v:m");
        Scenario.AssertSucceeded(build);
        AssertOneCM4055(build, clientSettings);
        Scenario.AssertResolved(Path.Combine(server, "bin", "Debug", "net10.0", "appsettings.json"), secret);

        var publishDir = Path.Combine(server, "out");
        var publish = Dotnet.Run(server, workspace.Environment, TimeSpan.FromMinutes(8), "publish", csproj, "-m:1", "-nr:false", "-v:m", "-o", publishDir);
        Scenario.AssertSucceeded(publish);
        Scenario.AssertResolved(Path.Combine(publishDir, "appsettings.json"), secret);
        AssertServedAsWritten(publishDir, "WebAppWasm", clientSettings);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(publishDir, "wwwroot"), "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).Length < 5_000_000))
        {
            Assert.IsFalse(File.ReadAllText(file).Contains(secret, StringComparison.Ordinal), "The secret reached a public file: " + file);
        }

        Assert.IsFalse(build.Output.Contains(secret, StringComparison.Ordinal) || publish.Output.Contains(secret, StringComparison.Ordinal));
        Scenario.AssertNoPluginLeft(workspace);
    }

    private static string NewFromTemplate(TestWorkspace workspace, string name, params string[] template)
    {
        var directory = Path.Combine(workspace.Root, name);
        var created = Dotnet.Run(workspace.Root, workspace.Environment, TimeSpan.FromMinutes(2), ["new", .. template, "-o", directory, "-n", name, "--no-restore"]);
        Assert.IsTrue(created.Succeeded, created.ToString());
        var project = Directory.Exists(Path.Combine(directory, name)) ? Path.Combine(directory, name) : directory;
        AddPackage(Path.Combine(project, name + ".csproj"));
        return directory;
    }

    private static void AddPackage(string csproj)
    {
        var text = File.ReadAllText(csproj);
        var reference = $"""
              <ItemGroup>
                <PackageReference Include="{LocalPackageFeed.PackageId}" Version="{LocalPackageFeed.Version}" />
              </ItemGroup>
              <PropertyGroup>
                <ConfigManagerExtraPrefixes>GOTEST</ConfigManagerExtraPrefixes>
              </PropertyGroup>
            </Project>
            """;
        File.WriteAllText(csproj, text[..text.LastIndexOf("</Project>", StringComparison.Ordinal)] + reference);
    }

    private static void AssertOneCM4055(CommandResult build, string settings)
    {
        var warnings = BuildDiagnostic.Parse(build.Output).Where(d => d.Code == "CM4055").Select(d => d.File).Distinct().ToArray();
        CollectionAssert.AreEqual(new[] { settings }, warnings, build.ToString());
        Assert.IsFalse(BuildDiagnostic.Parse(build.Output).Any(d => d.Severity == "error"), build.ToString());
    }

    /// <summary>The published asset, its .gz/.br copies and its endpoint entry (Content-Length, ETag) all describe the source bytes.</summary>
    private static void AssertServedAsWritten(string publishDir, string assemblyName, string source)
    {
        var bytes = File.ReadAllBytes(source);
        var published = Path.Combine(publishDir, "wwwroot", "appsettings.json");
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(published));
        using (var gz = new GZipStream(File.OpenRead(published + ".gz"), CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            gz.CopyTo(copy);
            CollectionAssert.AreEqual(bytes, copy.ToArray(), ".gz describes other bytes.");
        }

        using (var br = new BrotliStream(File.OpenRead(published + ".br"), CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            br.CopyTo(copy);
            CollectionAssert.AreEqual(bytes, copy.ToArray(), ".br describes other bytes.");
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(publishDir, assemblyName + ".staticwebassets.endpoints.json")));
        var identity = manifest.RootElement.GetProperty("Endpoints").EnumerateArray()
            .Single(e => e.GetProperty("Route").GetString() == "appsettings.json" && e.GetProperty("Selectors").GetArrayLength() == 0);
        var headers = identity.GetProperty("ResponseHeaders").EnumerateArray().ToDictionary(h => h.GetProperty("Name").GetString()!, h => h.GetProperty("Value").GetString()!);
        Assert.AreEqual(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["Content-Length"]);
        Assert.AreEqual("\"" + Convert.ToBase64String(SHA256.HashData(bytes)) + "\"", headers["ETag"]);
    }

    private static void AssertSecretNowhere(string directory, string secret, params CommandResult[] results)
    {
        foreach (var result in results)
        {
            Assert.IsFalse(result.Output.Contains(secret, StringComparison.Ordinal), "The secret reached the build log.");
        }

        var holding = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length < 5_000_000 && File.ReadAllText(f).Contains(secret, StringComparison.Ordinal))
            .ToArray();
        Assert.AreEqual(0, holding.Length, "Files holding the secret: " + string.Join(", ", holding));
    }
}
