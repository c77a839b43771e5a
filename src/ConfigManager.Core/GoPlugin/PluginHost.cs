using ConfigManager.Core.Logging;
using ConfigManager.Core.Resolution;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// The engine's real value source: one go-plugin process per prefix, launched on first use, reused for
/// every call of the run, shut down (Shutdown, 2 s grace, kill) on dispose.
/// </summary>
public sealed class PluginHost : IValueSource, IAsyncDisposable, IDisposable
{
    public PluginHost(PluginHostOptions options, ILogSink log, SecretMask mask) => throw new NotImplementedException();

    /// <summary>How many plugin processes this host has launched (tests and diagnostics).</summary>
    public int LaunchCount => throw new NotImplementedException();

    public Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
