using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ConfigManager.TestSupport;

/// <summary>Where each test plugin's executable is (building it on first use).</summary>
public static class TestPlugins
{
    /// <summary>The executable of <paramref name="kind"/>; Inconclusive when that plugin cannot be built here.</summary>
    public static string BinaryPath(TestPluginKind kind) => kind switch
    {
        TestPluginKind.Go => GoBuild.Require().TestPlugin,
        TestPluginKind.CSharp => CSharpTestPluginPath(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The prefix tests use for <paramref name="kind"/> (GOTEST, CSTEST).</summary>
    public static string Prefix(TestPluginKind kind) => kind == TestPluginKind.Go ? "GOTEST" : "CSTEST";

    // Extension point for the plugin SDK: build plugins/TestPlugin and return its executable here.
    private static string CSharpTestPluginPath()
    {
        Assert.Inconclusive("The C# test plugin is not wired into TestPlugins.BinaryPath yet.");
        return string.Empty;
    }
}
