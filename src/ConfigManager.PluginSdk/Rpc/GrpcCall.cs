using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.PluginSdk.Rpc;

/// <summary>
/// One gRPC call on an HTTP/2 stream: length-prefixed protobuf messages in and out (no size limit, no
/// compression), cancelled when the host resets the stream or its grpc-timeout passes.
/// </summary>
internal sealed class GrpcCall
{
    private const int PrefixLength = 5;

    private readonly PipeReader _requestBody;
    private readonly PipeWriter _responseBody;

    public GrpcCall(HttpContext httpContext, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        CancellationToken = cancellationToken;
        _requestBody = httpContext.Request.BodyReader;
        _responseBody = httpContext.Response.BodyWriter;
    }

    public HttpContext HttpContext { get; }

    /// <summary>Cancelled on RST_STREAM, a closed connection, or the call's deadline.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The unary request: exactly one message, then the end of the request stream.</summary>
    public async Task<T> ReadSingleAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var message = await ReadAsync(parser).ConfigureAwait(false)
            ?? throw new GrpcStatusException(GrpcStatusCode.Internal, "Request stream ended without a message.");
        var rest = await _requestBody.ReadAsync(CancellationToken).ConfigureAwait(false);
        while (!rest.IsCompleted && rest.Buffer.IsEmpty)
        {
            _requestBody.AdvanceTo(rest.Buffer.Start, rest.Buffer.End);
            rest = await _requestBody.ReadAsync(CancellationToken).ConfigureAwait(false);
        }

        var extra = !rest.Buffer.IsEmpty;
        _requestBody.AdvanceTo(rest.Buffer.Start, rest.Buffer.End);
        return extra
            ? throw new GrpcStatusException(GrpcStatusCode.Internal, "Additional data after the message received.")
            : message;
    }

    /// <summary>The next request message, or null at the end of the request stream.</summary>
    public Task<T?> ReadAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T> => ReadAsync(parser, CancellationToken);

    /// <summary>The next request message, or null at the end of the request stream.</summary>
    public async Task<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await _requestBody.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadPrefix(buffer, out var flag, out var length))
            {
                if (flag != 0)
                {
                    // Compressed (flag 1) or an undefined flag: this server offers only identity (grpc-accept-encoding).
                    _requestBody.AdvanceTo(buffer.Start, buffer.End);
                    throw new GrpcStatusException(GrpcStatusCode.Unimplemented, "Compressed messages are not supported; send grpc-encoding identity.");
                }

                if (buffer.Length >= PrefixLength + length)
                {
                    var payload = buffer.Slice(PrefixLength, length);
                    T message;
                    try
                    {
                        message = parser.ParseFrom(payload);
                    }
                    catch (InvalidProtocolBufferException)
                    {
                        _requestBody.AdvanceTo(buffer.Start, buffer.End);
                        throw new GrpcStatusException(GrpcStatusCode.Internal, "Failed to deserialize request message.");
                    }

                    _requestBody.AdvanceTo(payload.End);
                    return message;
                }
            }

            if (result.IsCompleted)
            {
                _requestBody.AdvanceTo(buffer.End);
                return buffer.IsEmpty
                    ? null
                    : throw new GrpcStatusException(GrpcStatusCode.Internal, "Incomplete message.");
            }

            _requestBody.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryReadPrefix(ReadOnlySequence<byte> buffer, out byte flag, out long length)
    {
        if (buffer.Length < PrefixLength)
        {
            (flag, length) = (0, 0);
            return false;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        flag = prefix[0];
        length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        return true;
    }

    /// <summary>Writes one response message and flushes it to the host.</summary>
    public async Task WriteAsync(IMessage message, CancellationToken cancellationToken)
    {
        var length = message.CalculateSize();
        var prefix = _responseBody.GetSpan(PrefixLength);
        prefix[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)length);
        _responseBody.Advance(PrefixLength);
        message.WriteTo((IBufferWriter<byte>)_responseBody);
        await _responseBody.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the response headers now (a long-lived stream tells the host it is open).</summary>
    public async Task StartResponseAsync()
    {
        await HttpContext.Response.StartAsync(CancellationToken).ConfigureAwait(false);
        await _responseBody.FlushAsync(CancellationToken).ConfigureAwait(false);
    }
}
