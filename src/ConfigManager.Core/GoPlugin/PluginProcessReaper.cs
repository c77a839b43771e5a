using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// Last line of defence against orphans: go-plugin plugins ignore SIGINT and never notice their parent
/// dying, so every live plugin process is killed when this process exits or is interrupted.
/// </summary>
internal static class PluginProcessReaper
{
    private static readonly ConcurrentDictionary<Process, byte> s_live = new();
    private static int s_hooked;

    // Kept alive for the life of the process: a collected registration unregisters itself.
    private static PosixSignalRegistration[] s_signals = [];

    public static void Track(Process process)
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
            Console.CancelKeyPress += (_, e) =>
            {
                // When an earlier handler kept the process alive, its cancellation path disposes the hosts.
                if (!e.Cancel)
                {
                    KillAll();
                }
            };

            // SIGTERM/SIGHUP/SIGQUIT end the process without raising ProcessExit first; the default action still follows.
            s_signals =
            [
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()),
                PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => KillAll()),
                PosixSignalRegistration.Create(PosixSignal.SIGQUIT, _ => KillAll()),
            ];
        }

        s_live[process] = 0;
    }

    public static void Untrack(Process process) => s_live.TryRemove(process, out _);

    /// <summary>Kills the process tree; safe to call on an exited or disposed process.</summary>
    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private static void KillAll()
    {
        foreach (var process in s_live.Keys)
        {
            Kill(process);
        }
    }
}
