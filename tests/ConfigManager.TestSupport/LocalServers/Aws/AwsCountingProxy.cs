using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.TestSupport.LocalServers.Aws;

/// <summary>
/// A reverse proxy in front of a <see cref="MotoServer"/> on its own loopback port: records every request (on a
/// <see cref="LocalHttpServer"/>), counts them by <c>X-Amz-Target</c>, and can answer the next N requests of a target
/// with a throttle or a server error before passing requests through to moto. Point a plugin at it with
/// <see cref="PluginEnvironment"/>; this is how batching (call counts) and backoff (throttles) are proven.
/// </summary>
public sealed class AwsCountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> s_hopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "connection", "keep-alive", "transfer-encoding", "content-length", "content-type", "expect", "upgrade", "proxy-connection",
    };

    private readonly MotoServer _moto;
    private readonly HttpClient _forward;
    private LocalHttpServer _server = null!;

    private AwsCountingProxy(MotoServer moto)
    {
        _moto = moto;
        _forward = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary><c>http(s)://127.0.0.1:PORT/</c> of the proxy.</summary>
    public Uri Endpoint => _server.BaseAddress;

    /// <summary>Every request that reached the proxy (throttled ones included), in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _server.Requests;

    /// <summary>Starts a proxy in front of <paramref name="moto"/>.</summary>
    /// <param name="moto">The server requests are passed to.</param>
    /// <param name="certificate">A server certificate (e.g. a <see cref="TestCertificateAuthority"/>'s) to serve HTTPS, as a TLS-inspecting proxy does; null for HTTP.</param>
    public static async Task<AwsCountingProxy> StartAsync(MotoServer moto, X509Certificate2? certificate = null)
    {
        var proxy = new AwsCountingProxy(moto);
        proxy._server = await LocalHttpServer.StartAsync(proxy.ForwardAsync, certificate);
        return proxy;
    }

    /// <summary>The variables that point a plugin at this proxy (and nothing else), like <see cref="MotoServer.PluginEnvironment"/>.</summary>
    public IReadOnlyList<(string Name, string? Value)> PluginEnvironment() => MotoServer.EnvironmentFor(Endpoint, _moto.Directory);

    /// <summary>How many requests with this <c>X-Amz-Target</c> (e.g. <c>AmazonSSM.GetParameters</c>) reached the proxy, throttled ones included.</summary>
    public int Count(string target) => _server.Requests.Count(request => request.Header("x-amz-target") == target);

    /// <summary>Requests by target, throttled ones included.</summary>
    public IReadOnlyDictionary<string, int> Counts() =>
        _server.Requests.GroupBy(request => request.Header("x-amz-target") ?? "(none)").ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);

    /// <summary>The next <paramref name="count"/> requests of <paramref name="target"/> (null: of any target) get HTTP 400 <c>ThrottlingException</c> (JSON APIs' throttle).</summary>
    public void Throttle(string? target, int count, string type = "ThrottlingException") =>
        _server.InjectFaults(new InjectedFault(400, $"{{\"__type\":\"{type}\",\"message\":\"Rate exceeded\"}}", JsonType, When: For(target)), count);

    /// <summary>The next <paramref name="count"/> requests of <paramref name="target"/> (null: of any target) get HTTP 429 (with a JSON body naming TooManyRequestsException).</summary>
    public void TooManyRequests(string? target, int count) =>
        _server.InjectFaults(new InjectedFault(429, "{\"__type\":\"TooManyRequestsException\",\"message\":\"Too many requests\"}", JsonType, When: For(target)), count);

    /// <summary>The next <paramref name="count"/> requests of <paramref name="target"/> (null: of any target) get HTTP 500 InternalServerError.</summary>
    public void ServerError(string? target, int count) =>
        _server.InjectFaults(new InjectedFault(500, "{\"__type\":\"InternalServerError\",\"message\":\"Internal failure\"}", JsonType, When: For(target)), count);

    /// <summary>Queues any other fault (e.g. an AccessDeniedException) for the next request it matches.</summary>
    public void Inject(InjectedFault fault) => _server.InjectFault(fault);

    /// <summary>Forgets what was recorded (faults stay queued).</summary>
    public void ClearRequests() => _server.ClearRequests();

    /// <summary>How many queued faults no request has matched yet.</summary>
    public int PendingFaults => _server.PendingFaults;

    /// <summary>Drops the queued faults no request matched.</summary>
    public void ClearFaults() => _server.ClearFaults();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _forward.Dispose();
    }

    private static IReadOnlyDictionary<string, string> JsonType => new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1" };

    private static Func<RecordedRequest, bool> For(string? target) => request => target is null || request.Header("x-amz-target") == target;

    private async Task ForwardAsync(RecordedRequest recorded, HttpContext context)
    {
        using var request = new HttpRequestMessage(new HttpMethod(recorded.Method), new Uri(_moto.Endpoint, recorded.PathAndQuery))
        {
            Content = new ByteArrayContent(recorded.Body),
        };
        if (recorded.Header("content-type") is { } contentType)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in recorded.Headers)
        {
            if (!s_hopHeaders.Contains(name))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var reply = await _forward.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)reply.StatusCode;
        foreach (var (name, values) in reply.Headers.Concat(reply.Content.Headers))
        {
            if (!s_hopHeaders.Contains(name) || name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await reply.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
