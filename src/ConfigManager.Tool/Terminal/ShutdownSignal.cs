using System.Runtime.InteropServices;
using ConfigManager.Core.Native;

namespace ConfigManager.Tool.Terminal;

/// <summary>
/// Turns Ctrl+C (SIGINT), SIGTERM, SIGQUIT and SIGHUP into one cancellation, so the run cancels its plugin calls and
/// shuts the plugins down instead of dying with them half-way. Created first thing in Main, so its Ctrl+C
/// handler runs before the plugin host's (which then leaves the shutdown to this cancellation path).
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    public ShutdownSignal()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        // SIGHUP (terminal closed) is handled like SIGTERM, unless it was ignored on entry (nohup): then it stays ignored.
        var signals = SignalDisposition.IsIgnored(SignalDisposition.Hangup)
            ? new[] { PosixSignal.SIGTERM, PosixSignal.SIGQUIT }
            : new[] { PosixSignal.SIGTERM, PosixSignal.SIGQUIT, PosixSignal.SIGHUP };
        foreach (var signal in signals)
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // Keep the process alive until the run has cleaned up; the run then exits with 130.
                    context.Cancel = true;
                    Cancel();
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // Windows has no SIGQUIT (Ctrl+C and SIGTERM are still handled there).
            }
        }
    }

    public CancellationToken Token => _cancellation.Token;

    public bool Requested => _cancellation.IsCancellationRequested;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        // The source itself is not disposed: a signal handler already dispatched may still call Cancel.
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Cancel();
    }

    private void Cancel() => _cancellation.Cancel();
}
