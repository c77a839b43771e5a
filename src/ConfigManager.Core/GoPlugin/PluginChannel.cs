using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Net.Client;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// Opens the gRPC channel a handshake describes: Unix socket or loopback TCP through a connect callback,
/// h2c, or AutoMTLS with the plugin's certificate pinned by its exact DER bytes.
/// </summary>
internal static class PluginChannel
{
    public static GrpcChannel Create(HandshakeLine handshake, SslStreamCertificateContext? clientCertificate, CertificatePin? pin, int? maxReceiveBytes)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancellationToken) => ConnectAsync(handshake, cancellationToken),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = false,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        var tls = clientCertificate is not null && pin is not null;
        if (tls)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                // go-plugin's certificates name only localhost; the real endpoint comes from the callback.
                TargetHost = "localhost",
                ClientCertificateContext = clientCertificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => pin!.Matches(certificate),
            };
        }

        return GrpcChannel.ForAddress(tls ? "https://localhost" : "http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = maxReceiveBytes,
            MaxSendMessageSize = null,
        });
    }

    private static async ValueTask<Stream> ConnectAsync(HandshakeLine handshake, CancellationToken cancellationToken)
    {
        EndPoint endPoint = handshake.Network == "unix"
            ? new UnixDomainSocketEndPoint(handshake.Address)
            : IPEndPoint.Parse(handshake.Address);
        var socket = handshake.Network == "unix"
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
