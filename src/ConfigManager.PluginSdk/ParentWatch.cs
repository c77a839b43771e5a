using System.Runtime.InteropServices;
using ConfigManager.PluginSdk.Logging;

namespace ConfigManager.PluginSdk;

/// <summary>
/// Ends the plugin when the process that started it dies, even by SIGKILL (which gives the host no chance to
/// shut its plugins down): the parent's pid is read at start and checked every <see cref="Interval"/>; once the
/// plugin has been re-parented (to init or a subreaper) it stops as on SIGTERM. Chosen over
/// <c>prctl(PR_SET_PDEATHSIG)</c>, which fires when the host's <em>thread</em> that forked the plugin ends (a
/// .NET thread-pool thread may retire mid-run), and over stdin EOF, which go-plugin hosts do not give (the plugin
/// inherits the host's stdin). A Go host is unaffected: while it lives the parent never changes.
/// </summary>
internal sealed partial class ParentWatch : IDisposable
{
    /// <summary>How often the parent is checked: cheap (one syscall), and a second or so is soon enough.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly Timer _timer;

    private ParentWatch(int parent, PluginLifetime lifetime, PluginLogger log)
    {
        var stopped = 0;
        _timer = new Timer(
            _ =>
            {
                if (GetParentPid() != parent && Interlocked.Exchange(ref stopped, 1) == 0)
                {
                    log.Warn($"the host process {parent} has exited; stopping");
                    lifetime.RequestStop();
                }
            },
            null,
            Interval,
            Interval);
    }

    /// <summary>Starts watching, or returns null where there is nothing to watch (Windows; a parent that is pid 1 already).</summary>
    public static ParentWatch? Start(PluginLifetime lifetime, PluginLogger log)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // A plugin whose parent is pid 1 from the start (a host that is a container's init) has nothing to watch for.
        var parent = GetParentPid();
        return parent > 1 ? new ParentWatch(parent, lifetime, log) : null;
    }

    public void Dispose() => _timer.Dispose();

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();
}
