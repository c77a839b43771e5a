using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;

namespace ConfigManager.TestSupport;

/// <summary>
/// The one way tests host plugins through Core (<see cref="OptionsOver"/>), and the published C# plugins in particular: a <see cref="PluginHost"/> over
/// <see cref="CSharpPlugins.LayoutRoot"/> (real plugin processes, real gRPC) with start-up and call timeouts generous
/// enough for a busy machine.
/// </summary>
public static class PublishedPluginHost
{
    /// <summary>A new host; the caller disposes it (which ends every plugin it started).</summary>
    public static PluginHost Create(ILogSink log, SecretMask mask, bool autoMtls = true)
        => new(OptionsOver(CSharpPlugins.LayoutRoot, autoMtls), log, mask);

    /// <summary>
    /// Host options for tests: <paramref name="root"/> is the only search root (explicit folder, working directory and
    /// home alike, so nothing of the machine's own plugins is found) and the timeouts leave seconds of margin on a busy
    /// machine. Marks this test process so its plugins can be found in the process table.
    /// </summary>
    public static PluginHostOptions OptionsOver(string root, bool autoMtls, TimeSpan? handshakeTimeout = null, TimeSpan? callTimeout = null)
    {
        ProcessTable.EnsureMarked();
        return new PluginHostOptions
        {
            PluginDirectory = root,
            WorkingDirectory = root,
            HomeDirectory = root,
            AutoMtls = autoMtls,
            HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(30),
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(60),
        };
    }
}
