using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>
/// App Configuration's key-value read contract (GET /kv/{key}?label=..&amp;api-version=1.0) on a <see cref="LocalHttpServer"/>
/// over HTTPS, held strictly: api-version and the kv+json Accept required; every request authenticated by an HMAC-SHA256
/// signature made with <see cref="Credential"/>/<see cref="Secret"/> (checked by <see cref="AppConfigHmacVerifier"/>) or a
/// bearer token <see cref="ManagedIdentityEndpoint"/> issued for <see cref="Audience"/>, else 401 as the service answers;
/// labels, revisions (Accept-Datetime), etags (If-None-Match 304, If-Match 412) and Key Vault reference values.
/// Faults are injected on <see cref="Http"/> and play only on authenticated requests.
/// </summary>
public sealed class AppConfigServer : IAsyncDisposable
{
    private const string KeyValueMediaType = "application/vnd.microsoft.appconfig.kv+json";
    private readonly ManagedIdentityEndpoint _identity;
    private readonly ConcurrentDictionary<(string Key, string? Label), List<Revision>> _values = new();
    private readonly ConcurrentQueue<string> _auth = new();

    private AppConfigServer(ManagedIdentityEndpoint identity, string audience)
    {
        _identity = identity;
        Audience = audience;
    }

    /// <summary>The HTTP server (requests, faults).</summary>
    public LocalHttpServer Http { get; private set; } = null!;

    /// <summary>https://127.0.0.1:PORT/.</summary>
    public Uri Endpoint => Http.BaseAddress;

    /// <summary>The access key id.</summary>
    public string Credential { get; } = "cm-test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    /// <summary>The access key value (base64), as a connection string carries it.</summary>
    public string Secret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The resource whose tokens are accepted.</summary>
    public string Audience { get; }

    /// <summary>Endpoint=...;Id=...;Secret=... for this store (or with another secret, to prove a wrong one fails).</summary>
    public string ConnectionString(string? secret = null) => $"Endpoint={Endpoint.ToString().TrimEnd('/')};Id={Credential};Secret={secret ?? Secret}";

    /// <summary>How each request authenticated, in order: none, hmac, hmac-rejected, bearer, bearer-foreign.</summary>
    public IReadOnlyCollection<string> AuthLog => _auth;

    public static async Task<AppConfigServer> StartAsync(X509Certificate2 certificate, ManagedIdentityEndpoint identity, string audience = "https://azconfig.io")
    {
        var server = new AppConfigServer(identity, audience);
        server.Http = await LocalHttpServer.StartAsync(server.HandleAsync, certificate);
        return server;
    }

    /// <summary>Stores a new revision of key/label; returns its etag.</summary>
    public string Set(string key, string value, string? label = null, string? contentType = null, DateTimeOffset? lastModified = null)
    {
        var etag = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        var revisions = _values.GetOrAdd((key, label), _ => []);
        lock (revisions)
        {
            revisions.Add(new Revision(value, contentType, etag, lastModified ?? DateTimeOffset.UtcNow));
        }

        return etag;
    }

    /// <summary>Stores a Key Vault reference to <paramref name="secretUri"/>.</summary>
    public string SetKeyVaultReference(string key, string secretUri, string? label = null) =>
        Set(key, JsonSerializer.Serialize(new Dictionary<string, string> { ["uri"] = secretUri }), label, "application/vnd.microsoft.appconfig.keyvaultref+json;charset=utf-8");

    /// <summary>Queues a fault for the next authenticated request.</summary>
    public void Inject(InjectedFault fault) => Http.InjectFault(fault with { When = request => IsAuthenticated(request) && (fault.When?.Invoke(request) ?? true) });

    public ValueTask DisposeAsync() => Http.DisposeAsync();

    // Faults are chosen before the handler sees the raw target the signature covers, so here "authenticated" means
    // signed with this store's access key id or carrying an issued token; the handler still checks every signature.
    private bool IsAuthenticated(RecordedRequest request)
    {
        var authorization = request.Header("authorization") ?? string.Empty;
        return authorization.StartsWith($"HMAC-SHA256 Credential={Credential}&", StringComparison.Ordinal)
            || (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && _identity.IsIssued(authorization["Bearer ".Length..], Audience));
    }

    private async Task HandleAsync(RecordedRequest request, HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        if (Authenticate(request, rawTarget) is { } challenge)
        {
            context.Response.Headers.WWWAuthenticate = challenge;
            await ProblemAsync(context, 401, "Unauthorized", "The request is not authenticated.");
            return;
        }

        var query = context.Request.Query;
        if (query["api-version"] != "1.0")
        {
            await ProblemAsync(context, 400, "Invalid api-version", "The api-version query parameter is required and must be 1.0.");
            return;
        }

        if (request.Method != "GET" || !context.Request.Path.StartsWithSegments("/kv", out var rest) || rest.Value is not { Length: > 1 })
        {
            await ProblemAsync(context, 400, "Bad request", "Only GET /kv/{key} is served here.");
            return;
        }

        if (!(request.Header("accept") ?? string.Empty).Contains(KeyValueMediaType, StringComparison.Ordinal))
        {
            await ProblemAsync(context, 406, "Not acceptable", $"Accept must include {KeyValueMediaType}.");
            return;
        }

        // The key as sent (Path keeps %2F escaped; the raw target is the truth).
        var key = Uri.UnescapeDataString(rawTarget.Split('?')[0]["/kv/".Length..]);
        var label = query.TryGetValue("label", out var given) && given.ToString() is { Length: > 0 } text && text != "\0" ? text : null;
        Revision? found = null;
        if (_values.TryGetValue((key, label), out var revisions))
        {
            lock (revisions)
            {
                found = request.Header("accept-datetime") is { } at
                    ? revisions.LastOrDefault(r => r.LastModified <= DateTimeOffset.ParseExact(at, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
                    : revisions[^1];
            }
        }

        if (found is null)
        {
            await ProblemAsync(context, 404, "Not found", $"Key-value '{key}' with label '{label ?? "\\0"}' not found.");
            return;
        }

        var quoted = $"\"{found.Etag}\"";
        if (request.Header("if-none-match") is { } none && (none == quoted || none == "*"))
        {
            context.Response.StatusCode = 304;
            context.Response.Headers.ETag = quoted;
            return;
        }

        if (request.Header("if-match") is { } match && match != quoted && match != "*")
        {
            await ProblemAsync(context, 412, "Precondition failed", "The etag does not match.");
            return;
        }

        context.Response.ContentType = KeyValueMediaType + "; charset=utf-8";
        context.Response.Headers.ETag = quoted;
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["etag"] = found.Etag,
            ["key"] = key,
            ["label"] = label,
            ["content_type"] = found.ContentType,
            ["value"] = found.Value,
            ["tags"] = new Dictionary<string, string>(),
            ["locked"] = false,
            ["last_modified"] = found.LastModified.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        }));
    }

    // Null when authenticated; else the WWW-Authenticate value to answer 401 with.
    private string? Authenticate(RecordedRequest request, string rawTarget)
    {
        var authorization = request.Header("authorization") ?? string.Empty;
        string? challenge;
        string outcome;
        if (authorization.StartsWith("HMAC-SHA256 ", StringComparison.Ordinal))
        {
            var error = AppConfigHmacVerifier.Verify(authorization, request.Method, rawTarget, request.Header, request.Body, Credential, Convert.FromBase64String(Secret), DateTimeOffset.UtcNow);
            (challenge, outcome) = error is null ? (null, "hmac") : ($"HMAC-SHA256 error=\"invalid_token\" error_description=\"{error}\", Bearer", "hmac-rejected");
        }
        else if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            var ok = _identity.IsIssued(authorization["Bearer ".Length..], Audience);
            (challenge, outcome) = ok ? (null, "bearer") : ("HMAC-SHA256, Bearer error=\"invalid_token\", error_description=\"Invalid audience or issuer\"", "bearer-foreign");
        }
        else
        {
            (challenge, outcome) = ("HMAC-SHA256, Bearer", "none");
        }

        _auth.Enqueue(outcome);
        return challenge;
    }

    private static async Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { type = "https://azconfig.io/errors/" + status, title, detail, status }));
    }

    private sealed record Revision(string Value, string? ContentType, string Etag, DateTimeOffset LastModified);
}
