using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConfigManager.TestSupport.LocalServers;

/// <summary>
/// A Kestrel server on 127.0.0.1 and a free port that stands in for a cloud store's REST endpoint: the protocol lives
/// in the handler the test gives it; this class records every request (for call counting) and plays injected faults
/// (status codes, Retry-After headers, slow replies) before the handler sees a request. HTTPS when given a certificate.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<InjectedFault> _faults = [];

    private LocalHttpServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary><c>http(s)://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>The port it listens on.</summary>
    public int Port => BaseAddress.Port;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>.</summary>
    /// <param name="handler">The protocol: gets the request as recorded (body already read) and the live context to answer on.</param>
    /// <param name="certificate">A server certificate (e.g. <see cref="TestCertificateAuthority.ServerCertificate"/>) for HTTPS; null for plain HTTP.</param>
    public static async Task<LocalHttpServer> StartAsync(Func<RecordedRequest, HttpContext, Task> handler, X509Certificate2? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        LocalHttpServer? server = null;
        app.Run(async context =>
        {
            var recorded = await RecordAsync(context.Request);
            server!._requests.Enqueue(recorded);
            if (server.TakeFault(recorded) is { } fault)
            {
                if (fault.Delay is { } delay)
                {
                    await Task.Delay(delay, context.RequestAborted);
                }

                if (fault.Status != 0)
                {
                    await WriteFaultAsync(context, fault);
                    return;
                }
            }

            await handler(recorded, context);
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var port = new Uri(address).Port;
        server = new LocalHttpServer(app, new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}/"));
        return server;
    }

    /// <summary>Queues a fault for the next request it matches (faults are played in the order queued).</summary>
    public void InjectFault(InjectedFault fault)
    {
        lock (_faults)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Queues <paramref name="count"/> copies of <paramref name="fault"/>.</summary>
    public void InjectFaults(InjectedFault fault, int count)
    {
        for (var i = 0; i < count; i++)
        {
            InjectFault(fault);
        }
    }

    /// <summary>Forgets the recorded requests (faults stay queued).</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>How many queued faults no request has matched yet.</summary>
    public int PendingFaults
    {
        get
        {
            lock (_faults)
            {
                return _faults.Count;
            }
        }
    }

    /// <summary>Drops every queued fault no request matched (so none can reach the next test).</summary>
    public void ClearFaults()
    {
        lock (_faults)
        {
            _faults.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Connections still open after the grace period are cut.
        }

        await _app.DisposeAsync();
    }

    private InjectedFault? TakeFault(RecordedRequest request)
    {
        lock (_faults)
        {
            var index = _faults.FindIndex(fault => fault.When?.Invoke(request) ?? true);
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            _faults.RemoveAt(index);
            return fault;
        }
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var headers = request.Headers.ToDictionary(pair => pair.Key.ToLowerInvariant(), pair => pair.Value.ToString(), StringComparer.Ordinal);
        return new RecordedRequest(request.Method, request.Path.Value + request.QueryString.Value, headers, body.ToArray());
    }

    private static async Task WriteFaultAsync(HttpContext context, InjectedFault fault)
    {
        context.Response.StatusCode = fault.Status;
        foreach (var (name, value) in fault.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (fault.Body is { } text)
        {
            context.Response.ContentType ??= text.TrimStart().StartsWith('{') ? "application/json" : "text/plain";
            await context.Response.WriteAsync(text);
        }
    }
}
