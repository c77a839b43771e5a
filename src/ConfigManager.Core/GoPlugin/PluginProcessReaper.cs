using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// Last line of defence against orphans: go-plugin plugins ignore SIGINT and never notice their parent
/// dying, so every live plugin process is killed when this process exits or is interrupted.
/// </summary>
internal static partial class PluginProcessReaper
{
    private const int SigKill = 9;

    private static readonly ConcurrentDictionary<Process, (string? SocketDirectory, int? Group)> s_live = new();
    private static int s_hooked;

    // Kept alive for the life of the process: a collected registration unregisters itself.
    private static PosixSignalRegistration[] s_signals = [];

    /// <summary>Remembers a live plugin and the socket folder to delete once it is killed.</summary>
    public static void Track(Process process, string? socketDirectory, int? group)
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
            // A SIGHUP ignored on entry (nohup) stays ignored: killing the plugins on it would break a run that goes on.
            var signals = Native.SignalDisposition.IsIgnored(Native.SignalDisposition.Hangup)
                ? new[] { PosixSignal.SIGTERM, PosixSignal.SIGQUIT }
                : new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT };
            s_signals = [.. signals.Select(TryRegister).OfType<PosixSignalRegistration>()];
        }

        s_live[process] = (socketDirectory, group);
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

    /// <summary>SIGKILLs every process left in a plugin's process group (no-op for null or an empty group).</summary>
    public static void KillGroup(int? group)
    {
        if (group is > 1)
        {
            _ = KillProcess(-group.Value, SigKill);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillProcess(int pid, int signal);

    private static PosixSignalRegistration? TryRegister(PosixSignal signal)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, _ =>
            {
                // Recorded first: calls failing from here on were cut by the termination, not by a crash.
                ProcessTermination.Record(signal.ToString());
                KillAll();
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static void KillAll()
    {
        foreach (var (process, (_, group)) in s_live)
        {
            Kill(process);
            KillGroup(group);
        }

        // A killed plugin cannot remove its socket; wait (3 s in all, ample on a loaded machine) until it is gone.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        foreach (var (process, (socketDirectory, _)) in s_live)
        {
            try
            {
                var left = deadline - DateTime.UtcNow;
                process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already reaped.
            }

            DeleteFolder(socketDirectory);
        }
    }

    /// <summary>Deletes a plugin's private socket folder; best effort.</summary>
    public static void DeleteFolder(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp folder that cannot be removed now is harmless.
        }
    }
}
