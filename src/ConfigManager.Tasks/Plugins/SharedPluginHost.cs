using System.Globalization;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Plugins;
using ConfigManager.Core.Resolution;
using ConfigManager.Tasks.Logging;
using Microsoft.Build.Framework;

namespace ConfigManager.Tasks.Plugins;

/// <summary>
/// One <see cref="PluginHost"/> per MSBuild node and build, so every project built on the node reuses the same
/// plugin processes. Registered with <see cref="RegisteredTaskObjectLifetime.Build"/>: MSBuild disposes it (and
/// so shuts the plugins down) when the build ends. The host itself is created on the first value request, so
/// files without tokens cost nothing.
/// </summary>
internal sealed class SharedPluginHost : IValueSource, IDisposable
{
    private static readonly object s_gate = new();
    private readonly Lazy<PluginHost> _host;

    private SharedPluginHost(PluginHostOptions options)
    {
        Mask = new SecretMask();
        Sink = new ForwardingLogSink();
        _host = new Lazy<PluginHost>(() => new PluginHost(options, RedactingLogSink.Over(Sink, Mask), Mask), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Knows every value fetched on this node during this build; masks them in every log line.</summary>
    public SecretMask Mask { get; }

    /// <summary>Where the host's log lines go; the running task attaches its own logger.</summary>
    public ForwardingLogSink Sink { get; }

    /// <summary>Plugin processes launched so far through this host.</summary>
    public int LaunchCount => _host.IsValueCreated ? _host.Value.LaunchCount : 0;

    /// <summary>The host for these options on this node, created on first use.</summary>
    public static SharedPluginHost Acquire(IBuildEngine4 engine, PluginHostOptions options)
    {
        var key = KeyFor(options);
        lock (s_gate)
        {
            if (engine.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is SharedPluginHost existing)
            {
                return existing;
            }

            var created = new SharedPluginHost(options);
            engine.RegisterTaskObject(key, created, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
            return created;
        }
    }

    /// <summary>After a cancellation: stop the plugins now instead of at the end of the build.</summary>
    public static void Release(IBuildEngine4 engine, PluginHostOptions options)
    {
        lock (s_gate)
        {
            if (engine.UnregisterTaskObject(KeyFor(options), RegisteredTaskObjectLifetime.Build) is SharedPluginHost host)
            {
                host.Dispose();
            }
        }
    }

    /// <summary>A standalone host for engines without task-object registration (never shared).</summary>
    public static SharedPluginHost CreateUnshared(PluginHostOptions options) => new(options);

    /// <summary>Writes the plugin log lines received so far to the sink's attached task (nothing when no plugin started).</summary>
    public void FlushLogs()
    {
        if (_host.IsValueCreated)
        {
            _host.Value.FlushLogs();
        }
    }

    public Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken)
        => _host.Value.GetValueAsync(request, cancellationToken);

    public void Dispose()
    {
        if (_host.IsValueCreated)
        {
            _host.Value.Dispose();
        }
    }

    // What actually runs and how it is talked to: each installed plugin's resolved binary and hash, the lock file
    // in force, the package-declared plugins and the transport options. Not the search roots: projects in different folders that find the same
    // binaries share one process per prefix.
    private static string KeyFor(PluginHostOptions options)
    {
        var locator = options.CreateLocator();
        var binaries = locator.InstalledPrefixes()
            .Select(prefix => (Prefix: prefix, Path: locator.Find(prefix).Path))
            .Where(b => b.Path is not null)
            .Select(b => b.Prefix + "=" + Path.GetFullPath(b.Path!) + "#" + HashOrMissing(b.Path!));
        // The host's own rule for which lock file is in force.
        var lockFile = PluginLockFile.PathInUse(options.LockFilePath, locator.InstallRoot) ?? string.Empty;
        return string.Join(
            "\u001f",
            new[]
            {
                "ConfigManager.PluginHost.v2",
                lockFile,
                lockFile.Length > 0 && File.Exists(lockFile) ? HashOrMissing(lockFile) : string.Empty,
                options.AutoMtls ? "mtls" : "plain",
                options.HandshakeTimeout.Ticks.ToString(CultureInfo.InvariantCulture),
                options.CallTimeout.Ticks.ToString(CultureInfo.InvariantCulture),
                "trusted:" + string.Join(";", options.TrustedPluginRoots),
            }.Concat(binaries).Concat(options.PackagedPlugins.Select(p => $"package:{p.Prefix}={p.Path}#{p.Sha256}")));
    }

    private static string HashOrMissing(string path)
    {
        try
        {
            return PluginBinaryHash.Of(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable: the launch reports it (CM2xxx); the key only has to differ from a readable binary's.
            return "unreadable";
        }
    }
}
