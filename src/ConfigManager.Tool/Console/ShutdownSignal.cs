using System.Runtime.InteropServices;

namespace ConfigManager.Tool.Console;

/// <summary>Turns Ctrl+C (SIGINT), SIGTERM and SIGQUIT into one cancellation, so plugins are shut down, not orphaned.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    public ShutdownSignal()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // Keep the process alive until the run has cleaned up; the run then exits with 130.
                    context.Cancel = true;
                    _cancellation.Cancel();
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
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }
}
