using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Resolution;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>One test's plugin layout, host, log and mask, torn down together; checks for orphans on dispose.</summary>
internal sealed class HostRun : IAsyncDisposable
{
    private HostRun(TestPluginKind kind, PluginLayout layout, PluginHost host, RecordingLogSink log, SecretMask mask, string binary)
    {
        Kind = kind;
        Layout = layout;
        Host = host;
        Log = log;
        Mask = mask;
        Binary = binary;
    }

    public TestPluginKind Kind { get; }

    public PluginLayout Layout { get; }

    public PluginHost Host { get; }

    public RecordingLogSink Log { get; }

    public SecretMask Mask { get; }

    /// <summary>The real plugin executable (what the process table shows).</summary>
    public string Binary { get; }

    public string Prefix => TestPlugins.Prefix(Kind);

    /// <summary>A host whose only plugin (the test plugin of <paramref name="kind"/>) runs in CMTEST_MODE <paramref name="mode"/>.</summary>
    public static HostRun Start(TestPluginKind kind, bool mtls, string? mode = null, Func<PluginHostOptions, PluginHostOptions>? configure = null, string? execLine = null)
    {
        var binary = TestPlugins.BinaryPath(kind);
        var prefix = TestPlugins.Prefix(kind);
        var layout = mode is null && execLine is null
            ? PluginLayout.WithSymlink(prefix, binary)
            : PluginLayout.WithWrapper(prefix, binary, mode, execLine);
        return Create(kind, layout, binary, mtls, configure);
    }

    public static HostRun Create(TestPluginKind kind, PluginLayout layout, string binary, bool mtls, Func<PluginHostOptions, PluginHostOptions>? configure = null)
    {
        var options = PublishedPluginHost.OptionsOver(layout.Root, mtls, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
        options = configure?.Invoke(options) ?? options;
        var log = new RecordingLogSink();
        var mask = new SecretMask();
        return new HostRun(kind, layout, new PluginHost(options, log, mask), log, mask, binary);
    }

    public Task<string> ValueAsync(string storePath, string metadata = "", CancellationToken cancellationToken = default) =>
        Host.GetValueAsync(new ValueRequest(Prefix, storePath, metadata), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        ProcessTable.AssertNoneRunning(Binary);
        Layout.Dispose();
    }
}
