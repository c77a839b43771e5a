using System.Text.Json;
using ConfigManager.TestSupport;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>The appsettings and plugin set-up most tests share: the Go test plugin as GOTEST, one secret only the plugin knows.</summary>
public static class Scenario
{
    /// <summary>What the test plugin returns for <c>json/...|password</c>; a secret too.</summary>
    public const string JsonSecret = "s3cr3t-json";

    public const string AppSettings = """
        {
          "Greeting": "GOTEST://echo/hello-world",
          "Database": {
            "Password": "GOTEST://env/CMTEST_SECRET",
            "JsonPassword": "GOTEST://json/db|password",
            "Port": "GOTEST://json/db|nested.port"
          },
          "Plain": "unchanged"
        }

        """;

    public const string DevelopmentSettings = """
        {
          "Logging": { "LogLevel": { "Default": "Debug" } }
        }

        """;

    /// <summary>
    /// A workspace with the test plugin installed as GOTEST; returns the secret the plugin's env/CMTEST_SECRET yields.
    /// The Go test plugin when Go is installed, else the C# test plugin (NativeAOT): both answer echo/, env/, json/, sleep/, log/ alike.
    /// </summary>
    public static (TestWorkspace Workspace, string Secret) WithGoPlugin(string name, params string[] extraPrefixes)
    {
        var plugin = GoTestPluginOrCSharp();
        var workspace = TestWorkspace.Create(name);
        var secret = "cmsecret-" + Guid.NewGuid().ToString("N");
        var pluginEnvironment = new Dictionary<string, string> { ["CMTEST_SECRET"] = secret };
        foreach (var prefix in new[] { "GOTEST" }.Concat(extraPrefixes))
        {
            workspace.InstallPlugin(prefix, plugin, pluginEnvironment);
        }

        return (workspace, secret);
    }

    private static string GoTestPluginOrCSharp()
    {
        try
        {
            return GoBuild.Require().TestPlugin;
        }
        catch (AssertInconclusiveException)
        {
            // No Go here (and CI did not demand it): the C# plugin behaves the same for these tests.
            return CSharpPlugins.TestPluginAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>Asserts a resolved copy of <see cref="AppSettings"/>.</summary>
    public static void AssertResolved(string path, string secret)
    {
        Assert.IsTrue(File.Exists(path), $"{path} was not written.");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.AreEqual("hello-world", root.GetProperty("Greeting").GetString());
        Assert.AreEqual(secret, root.GetProperty("Database").GetProperty("Password").GetString());
        Assert.AreEqual(JsonSecret, root.GetProperty("Database").GetProperty("JsonPassword").GetString());
        Assert.AreEqual("5432", root.GetProperty("Database").GetProperty("Port").GetString());
        Assert.AreEqual("unchanged", root.GetProperty("Plain").GetString());
    }

    public static void AssertSucceeded(CommandResult result)
        => Assert.IsTrue(result.Succeeded, "Build failed:\n" + result);

    public static void AssertNoPluginLeft(TestWorkspace workspace)
    {
        var left = PluginProcesses.LeftOver(workspace);
        Assert.AreEqual(0, left.Count, "Plugin processes still running: " + string.Join(", ", left));
    }
}
