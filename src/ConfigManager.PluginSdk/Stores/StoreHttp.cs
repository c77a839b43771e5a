using System.Globalization;
using System.Net;

namespace ConfigManager.PluginSdk.Stores;

/// <summary>HTTP pieces every REST store plugin needs: one well-configured client, status classes, the server's retry delay.</summary>
public static class StoreHttp
{
    /// <summary>How long opening a connection may take before the attempt fails (and is retried as unavailable).</summary>
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A client for one plugin process: pooled connections recycled every few minutes (DNS changes), no cookies,
    /// no client-side timeout (<see cref="StoreCall"/> times each attempt), the proxy from HTTPS_PROXY/NO_PROXY as usual.
    /// </summary>
    public static HttpClient CreateClient() => CreateClient(trust: null);

    /// <summary><see cref="CreateClient()"/>'s client, trusting exactly <paramref name="trust"/>'s CAs when given (null: the system store).</summary>
    public static HttpClient CreateClient(CustomCaTrust? trust)
    {
        var handler = CreateHandler();
        trust?.Apply(handler);
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The handler behind <see cref="CreateClient()"/>, for clients that need their own (e.g. a client library's transport).</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        ConnectTimeout = ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
    };

    /// <summary>The failure class of an HTTP status: 400/422 invalid, 401/403 denied, 404 not found, 408 timeout, 429 throttled, 5xx unavailable.</summary>
    public static StoreFailureKind KindOf(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => StoreFailureKind.AccessDenied,
        404 or 410 => StoreFailureKind.NotFound,
        408 => StoreFailureKind.Timeout,
        429 => StoreFailureKind.Throttled,
        >= 500 => StoreFailureKind.Unavailable,
        _ => StoreFailureKind.InvalidRequest,
    };

    /// <summary>
    /// The delay the server asked for: <c>retry-after-ms</c> / <c>x-ms-retry-after-ms</c> (milliseconds), else
    /// <c>Retry-After</c> (seconds or an HTTP date); null when it asked for none.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var name in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (response.Headers.TryGetValues(name, out var values)
                && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                && ms >= 0 && double.IsFinite(ms))
            {
                return TimeSpan.FromMilliseconds(ms);
            }
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - (time ?? TimeProvider.System).GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        return null;
    }

    /// <summary>
    /// A <see cref="StoreException"/> for a failed response: its kind from the status, the server's retry delay,
    /// and <paramref name="description"/> (name the token's path) followed by the status.
    /// </summary>
    public static StoreException Failure(HttpResponseMessage response, string description, string? remedy = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        return new StoreException(KindOf(response.StatusCode), $"{description} (HTTP {status})", remedy, RetryAfter(response, time));
    }
}
