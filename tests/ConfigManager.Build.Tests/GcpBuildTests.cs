using System.Text.Json;
using ConfigManager.Build.Tests.Fixtures;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Gcp;

namespace ConfigManager.Build.Tests;

/// <summary>
/// dotnet build of a real project whose appsettings.json holds GCPSECRETS tokens: the NativeAOT plugin against the Secret
/// Manager stand-in over HTTPS, credentials from the metadata-server stand-in; any other host is caught by a proxy trap.
/// </summary>
[TestClass]
public sealed class GcpBuildTests
{
    private const string Password = "gcp-build-s3cret";

    [TestMethod]
    public async Task Build_resolves_GCPSECRETS_tokens_into_bin_with_the_metadata_servers_token()
    {
        var plugin = await CSharpPlugins.PublishAsync(CSharpPlugin.GcpSecrets);
        using var ca = TestCertificateAuthority.Create();
        await using var secrets = await SecretManagerServer.StartAsync(ca.ServerCertificate);
        await using var metadata = await GceMetadataServer.StartAsync(secrets, "build@cm-build.iam.gserviceaccount.com");
        await using var trap = ProxyTrap.Start();
        secrets.Grant(metadata.Principal, "*");
        secrets.AddVersion("cm-build", "db", $$"""{"user":"app","password":"{{Password}}"}""");
        var workspace = TestWorkspace.Create(nameof(Build_resolves_GCPSECRETS_tokens_into_bin_with_the_metadata_servers_token));
        var environment = new Dictionary<string, string>
        {
            ["GCE_METADATA_HOST"] = metadata.Host,
            ["CONFIGMANAGER_GCPSECRETS_ENDPOINT"] = secrets.Endpoint,
            ["SSL_CERT_FILE"] = ca.CaCertificatePath,
            ["GOOGLE_APPLICATION_CREDENTIALS"] = string.Empty,
        };
        foreach (var (name, value) in trap.Environment)
        {
            environment[name] = value ?? string.Empty;
        }

        workspace.InstallPlugin("GCPSECRETS", plugin, environment);
        var project = ConsumerProject.Console(workspace, "GcpApp");
        project.WriteFile("appsettings.json", """{"Db":{"Password":"GCPSECRETS:///projects/cm-build/secrets/db|password","User":"GCPSECRETS:///projects/cm-build/secrets/db|user[version=1]"}}""");

        var build = project.Build();

        Scenario.AssertSucceeded(build);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(project.BinDirectory, "appsettings.json")));
        Assert.AreEqual(Password, json.RootElement.GetProperty("Db").GetProperty("Password").GetString());
        Assert.AreEqual("app", json.RootElement.GetProperty("Db").GetProperty("User").GetString());
        Assert.AreEqual(1, metadata.TokensIssued, "one metadata token for the build");
        Assert.DoesNotContain(Password, build.ToString());
        Assert.IsEmpty(trap.Attempts, string.Join(" | ", trap.Attempts));
        Scenario.AssertNoPluginLeft(workspace);
    }
}
