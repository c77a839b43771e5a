namespace ConfigManager.PluginSdk;

/// <summary>One signal for "stop serving": GRPCController.Shutdown, SIGTERM, or the caller's cancellation.</summary>
internal sealed class PluginLifetime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the plugin should stop; long-lived streams end on it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void RequestStop()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped.
        }
    }

    public void Dispose() => _stopping.Dispose();
}
