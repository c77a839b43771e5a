using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ConfigManager.TestSupport.LocalServers;

/// <summary>
/// Proves a plugin talks to no host but the local servers: given to the plugin as HTTP(S)_PROXY with NO_PROXY covering
/// loopback, every request meant for anywhere else (a cloud host, 169.254.169.254) reaches this trap instead, which
/// records its first line (<c>CONNECT host:443 HTTP/1.1</c> or <c>GET http://host/path HTTP/1.1</c>) and refuses it.
/// </summary>
public sealed class ProxyTrap : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _attempts = new();
    private readonly Task _accepting;

    private ProxyTrap()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The first line of every request that tried to leave the machine.</summary>
    public IReadOnlyList<string> Attempts => _attempts.ToArray();

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string ProxyUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The variables that route a process's non-loopback HTTP(S) traffic here (upper and lower case, as tools differ).</summary>
    public IReadOnlyList<(string Name, string? Value)> Environment =>
    [
        ("HTTP_PROXY", ProxyUrl), ("HTTPS_PROXY", ProxyUrl), ("http_proxy", ProxyUrl), ("https_proxy", ProxyUrl),
        ("NO_PROXY", "127.0.0.1,localhost,::1"), ("no_proxy", "127.0.0.1,localhost,::1"), ("ALL_PROXY", null), ("all_proxy", null),
    ];

    /// <summary>Starts a trap on a free loopback port.</summary>
    public static ProxyTrap Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RefuseAsync(client);
        }
    }

    private async Task RefuseAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var line = new StringBuilder();
                var buffer = new byte[1];
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                while (line.Length < 8192 && await stream.ReadAsync(buffer, timeout.Token) == 1 && buffer[0] != '\n')
                {
                    line.Append((char)buffer[0]);
                }

                _attempts.Enqueue(line.ToString().TrimEnd('\r'));
                await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // A client that hangs up early has still been recorded, or never said anything.
            }
        }
    }
}
