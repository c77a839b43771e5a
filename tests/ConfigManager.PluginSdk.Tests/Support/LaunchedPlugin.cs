using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ConfigManager.TestSupport;
using Grpc.Net.Client;

namespace ConfigManager.PluginSdk.Tests.Support;

/// <summary>
/// A plugin process started the way a go-plugin host starts it (cookie, versions, optional AutoMTLS),
/// with its handshake line read, and a raw gRPC channel to it. Dispose kills it if it is still running.
/// </summary>
internal sealed class LaunchedPlugin : IAsyncDisposable
{
    public const string CookieKey = "CONFIGMANAGER_PLUGIN";
    public const string CookieValue = "configmanager-plugin-hello";

    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _laterStdout = new();
    private GrpcChannel? _channel;

    private LaunchedPlugin(Process process, string socketDirectory, X509Certificate2? hostCertificate)
    {
        Process = process;
        SocketDirectory = socketDirectory;
        HostCertificate = hostCertificate;
    }

    public Process Process { get; }

    public string SocketDirectory { get; }

    public X509Certificate2? HostCertificate { get; }

    /// <summary>The first stdout line, exactly as written (without the newline).</summary>
    public string HandshakeLine { get; private set; } = string.Empty;

    public string[] Fields => HandshakeLine.Split('|');

    public IReadOnlyCollection<string> StderrLines => _stderr;

    /// <summary>stdout lines after the first (a host discards them; a plugin should write none).</summary>
    public IReadOnlyCollection<string> LaterStdoutLines => _laterStdout;

    /// <summary>Starts <paramref name="executable"/> and waits for its first stdout line.</summary>
    public static async Task<LaunchedPlugin> StartAsync(
        string executable,
        bool autoMtls = false,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? handshakeTimeout = null,
        IReadOnlyList<string>? wrapper = null)
    {
        ProcessTable.EnsureMarked();
        var socketDirectory = Directory.CreateTempSubdirectory("cmsdk-").FullName;
        var start = new ProcessStartInfo(wrapper is { Count: > 0 } ? wrapper[0] : executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (wrapper is { Count: > 0 })
        {
            // e.g. strace -f -o FILE: the plugin runs as the wrapper's child, stdout and environment passed through.
            foreach (var arg in wrapper.Skip(1).Append(executable))
            {
                start.ArgumentList.Add(arg);
            }
        }
        start.Environment[CookieKey] = CookieValue;
        start.Environment["PLUGIN_PROTOCOL_VERSIONS"] = "1";
        start.Environment["PLUGIN_MIN_PORT"] = "10000";
        start.Environment["PLUGIN_MAX_PORT"] = "25000";
        start.Environment["PLUGIN_UNIX_SOCKET_DIR"] = socketDirectory;
        var hostCertificate = autoMtls ? TestCertificates.CreateHostCertificate() : null;
        if (hostCertificate is not null)
        {
            start.Environment["PLUGIN_CLIENT_CERT"] = hostCertificate.ExportCertificatePem();
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var plugin = new LaunchedPlugin(process, socketDirectory, hostCertificate);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                plugin._stderr.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();

        var firstLine = process.StandardOutput.ReadLineAsync();
        var timeout = Task.Delay(handshakeTimeout ?? TimeSpan.FromSeconds(20));
        if (await Task.WhenAny(firstLine, timeout) == timeout)
        {
            await plugin.DisposeAsync();
            throw new TimeoutException("no handshake line from " + executable);
        }

        plugin.HandshakeLine = await firstLine ?? string.Empty;
        _ = plugin.DrainStdoutAsync();
        return plugin;
    }

    /// <summary>A channel that talks to the plugin as a host would (Unix socket or TCP; TLS pinned to field 6 under AutoMTLS).</summary>
    public GrpcChannel Channel => _channel ??= CreateChannel(HostCertificate);

    /// <summary>A channel presenting <paramref name="clientCertificate"/> (or none) regardless of what the plugin was told.</summary>
    public GrpcChannel CreateChannel(X509Certificate2? clientCertificate) =>
        GrpcChannel.ForAddress(BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(clientCertificate),
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });

    /// <summary>A raw HTTP/2 client to the plugin (the host's cert under AutoMTLS), for requests no gRPC client would send.</summary>
    public HttpClient CreateHttpClient() => new(CreateHandler(HostCertificate)) { BaseAddress = new Uri(BaseAddress), Timeout = Timeout.InfiniteTimeSpan };

    private string BaseAddress => ServerCertificateBytes is null ? "http://localhost" : "https://localhost";

    private byte[]? ServerCertificateBytes => Fields.Length > 5 && Fields[5].Length > 0 ? Convert.FromBase64String(Pad(Fields[5])) : null;

    private SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate)
    {
        var fields = Fields;
        var network = fields[2];
        var address = fields[3];
        var serverCertificate = ServerCertificateBytes;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = network == "unix"
                    ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                    : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    var endPoint = network == "unix"
                        ? (System.Net.EndPoint)new UnixDomainSocketEndPoint(address)
                        : System.Net.IPEndPoint.Parse(address);
                    await socket.ConnectAsync(endPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (serverCertificate is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(serverCertificate),
            };
        }

        return handler;
    }

    /// <summary>Waits for the process to exit; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
        HostCertificate?.Dispose();
        try
        {
            Directory.Delete(SocketDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    private async Task DrainStdoutAsync()
    {
        try
        {
            while (await Process.StandardOutput.ReadLineAsync() is { } line)
            {
                _laterStdout.Enqueue(line);
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
