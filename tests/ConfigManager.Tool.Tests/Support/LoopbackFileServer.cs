using System.Collections.Concurrent;
using System.Net;
using ConfigManager.TestSupport;

namespace ConfigManager.Tool.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 serving fixed files (404 otherwise), for download tests.</summary>
public sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _contentTypes = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public LoopbackFileServer()
    {
        BaseUrl = $"http://127.0.0.1:{LoopbackPort.Free()}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    /// <summary>Paths requested, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public void Add(string path, byte[] content) => _files[path] = content;

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> with a Content-Type header.</summary>
    public void Add(string path, byte[] content, string contentType)
    {
        _contentTypes[path] = contentType;
        _files[path] = content;
    }

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // Managed HttpListener re-binds the port to unregister it; on a busy machine another process may hold it by
            // then ("Address already in use"). The server is stopped either way; the test's assertions already ran.
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue(path);
            if (_files.TryGetValue(path, out var content))
            {
                context.Response.StatusCode = 200;
                if (_contentTypes.TryGetValue(path, out var contentType))
                {
                    context.Response.ContentType = contentType;
                }

                context.Response.ContentLength64 = content.Length;
                await context.Response.OutputStream.WriteAsync(content);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}
