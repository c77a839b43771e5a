using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace ConfigManager.PluginSdk.Transport;

/// <summary>
/// AutoMTLS on a Kestrel connection without Kestrel's HTTPS middleware (which needs a DI container): an
/// <see cref="SslStream"/> with <see cref="MutualTls"/>'s options (the host's exact cert, ALPN h2) between the
/// socket and HTTP/2. A connection whose handshake fails is closed before any HTTP/2 byte is read.
/// </summary>
internal static class TlsConnectionMiddleware
{
    /// <summary>Kestrel's default handshake timeout: a peer that connects and sends nothing is dropped.</summary>
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(10);

    public static Func<ConnectionDelegate, ConnectionDelegate> Create(MutualTls tls) => next => async connection =>
    {
        var socket = connection.Transport;
        var ssl = new SslStream(new DuplexPipeStream(socket), leaveInnerStreamOpen: true);
        await using (ssl.ConfigureAwait(false))
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
            {
                timeout.CancelAfter(s_handshakeTimeout);
                try
                {
                    await ssl.AuthenticateAsServerAsync(await tls.GetServerOptionsAsync().ConfigureAwait(false), timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                {
                    // Not our host (wrong or no client cert), or it went away mid-handshake: close the connection.
                    return;
                }
            }

            var input = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
            var output = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));
            connection.Transport = new DuplexPipe(input, output);

            // What Kestrel's own HTTPS middleware reports: requests are https, and HTTP/2 needs ALPN h2.
            var feature = new TlsFeature(ssl);
            connection.Features.Set<ITlsConnectionFeature>(feature);
            connection.Features.Set<ITlsApplicationProtocolFeature>(feature);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await input.CompleteAsync().ConfigureAwait(false);
                await output.CompleteAsync().ConfigureAwait(false);
                connection.Transport = socket;
            }
        }
    };

    private sealed class TlsFeature(SslStream ssl) : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public X509Certificate2? ClientCertificate { get; set; } = ssl.RemoteCertificate as X509Certificate2;

        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = ssl.NegotiatedApplicationProtocol.Protocol;

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>The socket's pipes as the stream <see cref="SslStream"/> reads and writes.</summary>
    private sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
    {
        private readonly Stream _input = pipe.Input.AsStream(leaveOpen: true);
        private readonly Stream _output = pipe.Output.AsStream(leaveOpen: true);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            _output.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _output.WriteAsync(buffer, offset, count, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override void Flush() => _output.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
