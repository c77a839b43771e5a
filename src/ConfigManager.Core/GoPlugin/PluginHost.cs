using System.Collections.Concurrent;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Plugins;
using ConfigManager.Core.Resolution;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// The engine's real value source: one go-plugin process per prefix, launched on first use, reused for
/// every call of the run, shut down (Shutdown, 2 s grace, kill) on dispose.
/// </summary>
public sealed class PluginHost : IValueSource, IAsyncDisposable, IDisposable
{
    private readonly PluginHostOptions _options;
    private readonly ILogSink _log;
    private readonly SecretMask _mask;
    private readonly PluginLocator _locator;
    private readonly Lazy<PluginLockFile?> _lockFile;
    private readonly Lazy<AutoMtlsCertificate>? _certificate;
    private readonly PluginLogBuffer _logs;
    private readonly ConcurrentDictionary<string, Lazy<Task<RunningPlugin>>> _plugins = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();
    private int _launchCount;
    private int _disposed;

    public PluginHost(PluginHostOptions options, ILogSink log, SecretMask mask)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(mask);
        _options = options;
        _log = log;
        _mask = mask;
        _locator = options.CreateLocator();
        _lockFile = new(() => PluginLockFile.Load(options.LockFilePath, _locator.InstallRoot));
        _certificate = options.AutoMtls ? new(AutoMtlsCertificate.Create) : null;
        if (_certificate is not null)
        {
            // Key generation and the TLS context (~55 ms: it loads the system trust store) overlap with
            // whatever the caller does before its first value, and with the plugin's own start-up.
            _ = Task.Run(() => _certificate.Value.Prepare());
        }
        _logs = new PluginLogBuffer(log, mask);
    }

    /// <summary>How many plugin processes this host has launched (tests and diagnostics).</summary>
    public int LaunchCount => Volatile.Read(ref _launchCount);

    /// <summary>
    /// Writes the plugin log lines received so far, masked with every value fetched so far; a shared host calls it
    /// when a run's values have arrived so lines reach that run's log instead of waiting for disposal.
    /// </summary>
    public void FlushLogs() => _logs.Flush();

    /// <summary>Where plugins are searched for, in order.</summary>
    public PluginLocator Locator => _locator;

    /// <summary>The lock file in use (explicit, else the install root's when present), or null.</summary>
    /// <exception cref="ConfigManagerException">CM2003 when it is not a valid lock file.</exception>
    public PluginLockFile? LockFile => _lockFile.Value;

    /// <summary>
    /// The checks a launch makes before anything of the plugin runs, without launching it: found and executable
    /// (CM2001, CM2002, CM2006), inside the trusted roots (CM2041), then pinned by the lock file and matching it
    /// (CM2005, CM2004), or for a packaged plugin matching its package's recorded hash (CM2004).
    /// </summary>
    public PluginCheck Check(string prefix)
    {
        var location = _locator.Find(prefix);
        var path = _locator.FindExecutable(prefix);
        if (location.Package is { } package)
        {
            PackagedPluginCheck.Verify(prefix, package, path);
            return new PluginCheck(location, path, package.Sha256);
        }

        return new PluginCheck(location, path, LockFile?.Verify(prefix, path));
    }

    public async Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plugin = await GetPluginAsync(request.Prefix, cancellationToken).ConfigureAwait(false);
        return await plugin.GetValueAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Launches the prefix's plugin if needed and asks its health service whether "plugin" is SERVING.</summary>
    public async Task<bool> IsServingAsync(string prefix, CancellationToken cancellationToken)
    {
        var plugin = await GetPluginAsync(prefix, cancellationToken).ConfigureAwait(false);
        return await plugin.IsServingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Process ids of the plugins launched so far (diagnostics and orphan checks).</summary>
    public IReadOnlyList<int> PluginProcessIds =>
        _plugins.Values.Where(p => p.IsValueCreated && p.Value.IsCompletedSuccessfully).Select(p => p.Value.Result.ProcessId).ToList();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Aborts launches still waiting for a handshake; they kill their own process.
        await _lifetime.CancelAsync().ConfigureAwait(false);
        var stops = _plugins.Values.Where(p => p.IsValueCreated).Select(p => StopAsync(p.Value));
        await Task.WhenAll(stops).ConfigureAwait(false);
        _logs.Flush();
        if (_certificate is { IsValueCreated: true })
        {
            _certificate.Value.Dispose();
        }

        // _lifetime is left undisposed on purpose: a call racing with disposal must still see it cancelled.
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task<RunningPlugin> GetPluginAsync(string prefix, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new ConfigManagerException(PluginErrorCodes.HostDisposed, $"The plugin host was already shut down; cannot ask plugin {prefix}.");
        }

        var key = prefix.ToUpperInvariant();
        var launch = _plugins.GetOrAdd(key, k => new Lazy<Task<RunningPlugin>>(() => LaunchAsync(k), LazyThreadSafetyMode.ExecutionAndPublication));
        return launch.Value.WaitAsync(cancellationToken);
    }

    private async Task<RunningPlugin> LaunchAsync(string prefix)
    {
        await Task.Yield();
        if (_lifetime.IsCancellationRequested)
        {
            throw new ConfigManagerException(PluginErrorCodes.HostDisposed, $"The plugin host was already shut down; cannot start plugin {prefix}.");
        }

        var location = _locator.Find(prefix);
        var path = _locator.FindExecutable(prefix);
        _log.Log(LogLevel.Debug, $"Launching plugin {path} for prefix {prefix} ({location.Origin}).");
        // With a lock file, or for a packaged plugin (checked against the hash its package recorded, no lock entry
        // needed), the launch hashes and runs one private 0700 copy: no check-to-use window, no chmod of the cache.
        var plugin = await RunningPlugin.LaunchAsync(
            prefix, path, _options, _certificate?.Value, _logs, _mask,
            () => Interlocked.Increment(ref _launchCount),
            _lifetime.Token,
            location.Package is null ? _lockFile.Value : null,
            location.Package).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) == 1)
        {
            // Disposal raced with a launch that had just finished.
            await plugin.KillAsync().ConfigureAwait(false);
            throw new ConfigManagerException(PluginErrorCodes.HostDisposed, $"The plugin host was shut down while plugin {prefix} started.", path);
        }

        return plugin;
    }

    private static async Task StopAsync(Task<RunningPlugin> launch)
    {
        RunningPlugin plugin;
        try
        {
            plugin = await launch.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A launch that failed has already killed its process and reported its error.
        catch (Exception)
        {
            return;
        }
#pragma warning restore CA1031

        await plugin.ShutdownAsync().ConfigureAwait(false);
    }
}
