using System.Net;
using System.Net.Sockets;

namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>
/// A loopback port that only counts connections. Given to a plugin as HTTP_PROXY/HTTPS_PROXY (with NO_PROXY
/// covering the local servers), any request the plugin tries to send off this machine lands here and fails.
/// </summary>
public sealed class ConnectionTrap : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public ConnectionTrap()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri ProxyUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The proxy variables (both spellings) that send everything but loopback here.</summary>
    public IReadOnlyDictionary<string, string?> ProxyEnvironment => new Dictionary<string, string?>
    {
        ["HTTP_PROXY"] = ProxyUri.ToString(),
        ["HTTPS_PROXY"] = ProxyUri.ToString(),
        ["ALL_PROXY"] = ProxyUri.ToString(),
        ["http_proxy"] = ProxyUri.ToString(),
        ["https_proxy"] = ProxyUri.ToString(),
        ["NO_PROXY"] = "localhost,127.0.0.1,::1",
        ["no_proxy"] = "localhost,127.0.0.1,::1",
    };

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
