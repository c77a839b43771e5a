using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;

namespace ConfigManager.TestSupport;

/// <summary>
/// The one way tests host the published C# plugins through Core: a <see cref="PluginHost"/> over
/// <see cref="CSharpPlugins.LayoutRoot"/> (real plugin processes, real gRPC) with start-up and call timeouts generous
/// enough for a busy machine.
/// </summary>
public static class PublishedPluginHost
{
    /// <summary>A new host; the caller disposes it (which ends every plugin it started).</summary>
    public static PluginHost Create(ILogSink log, SecretMask mask, bool autoMtls = true)
    {
        ProcessTable.EnsureMarked();
        return new PluginHost(
            new PluginHostOptions
            {
                PluginDirectory = CSharpPlugins.LayoutRoot,
                WorkingDirectory = CSharpPlugins.LayoutRoot,
                HomeDirectory = CSharpPlugins.LayoutRoot,
                AutoMtls = autoMtls,
                HandshakeTimeout = TimeSpan.FromSeconds(30),
                CallTimeout = TimeSpan.FromSeconds(60),
            },
            log,
            mask);
    }
}
