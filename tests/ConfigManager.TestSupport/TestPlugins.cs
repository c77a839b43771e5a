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

    // plugins/TestPlugin, NativeAOT-published on first use and cached by source hash (CSharpPlugins).
    private static string CSharpTestPluginPath() => CSharpPlugins.TestPluginAsync().GetAwaiter().GetResult();
}
