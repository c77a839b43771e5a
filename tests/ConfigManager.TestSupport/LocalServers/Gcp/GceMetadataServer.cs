using Microsoft.AspNetCore.Http;

namespace ConfigManager.TestSupport.LocalServers.Gcp;

/// <summary>
/// The GCE/GKE metadata server's token method on 127.0.0.1 (plain HTTP, as the real one): <c>GET
/// /computeMetadata/v1/instance/service-accounts/default/token</c> answers only with <c>Metadata-Flavor: Google</c> and
/// without X-Forwarded-For, with an access token the <see cref="SecretManagerServer"/> accepts for <see cref="Principal"/>.
/// Point a plugin at it with GCE_METADATA_HOST=<see cref="Host"/>.
/// </summary>
public sealed class GceMetadataServer : IAsyncDisposable
{
    private readonly SecretManagerServer _issuer;
    private LocalHttpServer _http = null!;
    private int _tokens;

    private GceMetadataServer(SecretManagerServer issuer, string principal)
    {
        _issuer = issuer;
        Principal = principal;
    }

    /// <summary>The instance's default service account.</summary>
    public string Principal { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the GCE_METADATA_HOST value.</summary>
    public string Host => $"127.0.0.1:{_http.Port}";

    /// <summary>The server under it (requests, faults).</summary>
    public LocalHttpServer Http => _http;

    /// <summary>Tokens handed out.</summary>
    public int TokensIssued => Volatile.Read(ref _tokens);

    public static async Task<GceMetadataServer> StartAsync(SecretManagerServer issuer, string principal)
    {
        var server = new GceMetadataServer(issuer, principal);
        server._http = await LocalHttpServer.StartAsync(server.HandleAsync);
        return server;
    }

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private async Task HandleAsync(RecordedRequest request, HttpContext context)
    {
        context.Response.Headers["Metadata-Flavor"] = "Google";
        if (request.Header("metadata-flavor") != "Google" || request.Header("x-forwarded-for") is not null)
        {
            context.Response.StatusCode = 403;
            context.Response.ContentType = "text/html; charset=UTF-8";
            await context.Response.WriteAsync("Missing required header \"Metadata-Flavor\": \"Google\"");
            return;
        }

        if (request.Method != "GET" || request.PathAndQuery.Split('?')[0] != "/computeMetadata/v1/instance/service-accounts/default/token")
        {
            context.Response.StatusCode = 404;
            return;
        }

        Interlocked.Increment(ref _tokens);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsJsonAsync(new { access_token = _issuer.IssueAccessToken(Principal), expires_in = 3599, token_type = "Bearer" });
    }
}
