namespace ConfigManager.TestSupport;

/// <summary>The implementations of the shared test plugin contract; interop tests run against each.</summary>
public enum TestPluginKind
{
    /// <summary>plugins/go, built with Debian's go-plugin v1.0.1.</summary>
    Go,

    /// <summary>plugins/TestPlugin, served by ConfigManager.PluginSdk.</summary>
    CSharp,
}
