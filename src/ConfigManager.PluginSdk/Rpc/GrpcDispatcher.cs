using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ConfigManager.PluginSdk.Rpc;

/// <summary>
/// The whole gRPC server go-plugin needs, on Kestrel's <see cref="IHttpApplication{TContext}"/>: each request's
/// :path picks a handler, which reads and writes length-prefixed messages; the status goes in the trailers
/// (or, when nothing was sent, in the headers: trailers-only). No host, DI, routing or Grpc.AspNetCore.
/// </summary>
internal sealed class GrpcDispatcher(IReadOnlyDictionary<string, Func<GrpcCall, Task>> methods) : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }

    public async Task ProcessRequestAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method) || request.ContentType is not { } contentType
            || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
            || (contentType.Length > 16 && contentType[16] is not ('+' or ';')))
        {
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-accept-encoding"] = "identity";

        if (!methods.TryGetValue(request.Path.Value ?? string.Empty, out var method))
        {
            SetStatus(context, GrpcStatusCode.Unimplemented, "Method is unimplemented.");
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var timeout = GrpcTimeout.Parse(request.Headers["grpc-timeout"]);
        if (timeout is { } after)
        {
            deadline.CancelAfter(after);
        }

        try
        {
            await method(new GrpcCall(context, deadline.Token)).ConfigureAwait(false);
            SetStatus(context, GrpcStatusCode.OK, message: null);
        }
        catch (GrpcStatusException ex)
        {
            SetStatus(context, ex.Status, ex.Message);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException) && context.RequestAborted.IsCancellationRequested)
        {
            // The host reset the stream or the connection is gone: nobody is left to tell.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            SetStatus(context, GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        catch (Exception)
        {
            // Never the exception's text: it could carry anything. Store errors are mapped by the handler.
            SetStatus(context, GrpcStatusCode.Unknown, "Exception was thrown by handler.");
        }
    }

    private static void SetStatus(HttpContext context, GrpcStatusCode status, string? message)
    {
        var response = context.Response;
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!response.HasStarted)
        {
            // Trailers-only: one HEADERS frame with END_STREAM, as grpc-go answers a call that sends no message.
            response.Headers["grpc-status"] = code;
            if (!string.IsNullOrEmpty(message))
            {
                response.Headers["grpc-message"] = GrpcMessageEncoding.Encode(message);
            }

            return;
        }

        response.AppendTrailer("grpc-status", code);
        if (!string.IsNullOrEmpty(message))
        {
            response.AppendTrailer("grpc-message", GrpcMessageEncoding.Encode(message));
        }
    }
}
