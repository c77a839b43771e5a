using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>
/// Key Vault's secrets REST contract (GET /secrets/{name}[/{version}]?api-version=...) on a <see cref="LocalHttpServer"/>
/// over HTTPS, held strictly: api-version required, the bearer challenge (401 + WWW-Authenticate naming the resource)
/// for any request without a token, and only tokens <see cref="ManagedIdentityEndpoint"/> issued for that resource are
/// accepted. Error bodies are Key Vault's ({"error":{"code","message"}}). Faults (<see cref="Inject"/>) play only on
/// requests that carry an issued token, so the challenge always runs first.
/// </summary>
public sealed class KeyVaultServer : IAsyncDisposable
{
    /// <summary>The resource the challenge names (the client asks its credential for a token for it).</summary>
    public const string Resource = "https://localhost";

    private readonly ManagedIdentityEndpoint _identity;
    private readonly ConcurrentDictionary<string, List<(string Version, string Value, bool Enabled)>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _requests = new();

    private KeyVaultServer(ManagedIdentityEndpoint identity) => _identity = identity;

    /// <summary>The HTTP server underneath.</summary>
    public LocalHttpServer Http { get; private set; } = null!;

    /// <summary>https://127.0.0.1:PORT/.</summary>
    public Uri VaultUri => Http.BaseAddress;

    /// <summary>"METHOD path?query auth" per request, auth being none/issued/foreign.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<KeyVaultServer> StartAsync(X509Certificate2 serverCertificate, ManagedIdentityEndpoint identity)
    {
        var server = new KeyVaultServer(identity);
        server.Http = await LocalHttpServer.StartAsync(server.HandleAsync, serverCertificate);
        return server;
    }

    /// <summary>A Key Vault error reply to inject: the status, its error code, and headers (Retry-After, ...).</summary>
    public static InjectedFault Error(HttpStatusCode status, string? code = null, IReadOnlyDictionary<string, string>? headers = null) =>
        new((int)status, JsonSerializer.Serialize(new { error = new { code = code ?? status.ToString(), message = $"Injected {(int)status}." } }), headers);

    /// <summary>Adds a new version of <paramref name="name"/> (it becomes the latest) and returns its version id.</summary>
    public string SetSecret(string name, string value, bool enabled = true)
    {
        var version = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var versions = _secrets.GetOrAdd(name, _ => []);
        lock (versions)
        {
            versions.Add((version, value, enabled));
        }

        return version;
    }

    /// <summary>Queues a fault for the next request that carries a token this server accepts.</summary>
    public void Inject(InjectedFault fault) => Http.InjectFault(fault with { When = request => AuthOf(request) == "issued" && (fault.When?.Invoke(request) ?? true) });

    public ValueTask DisposeAsync() => Http.DisposeAsync();

    private string AuthOf(RecordedRequest request)
    {
        var authorization = request.Header("authorization") ?? string.Empty;
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        return token is null ? "none" : _identity.IsIssued(token, Resource) ? "issued" : "foreign";
    }

    private async Task HandleAsync(RecordedRequest recorded, HttpContext context)
    {
        var request = context.Request;
        var auth = AuthOf(recorded);
        _requests.Enqueue($"{request.Method} {request.Path}{request.QueryString} {auth}");

        if (string.IsNullOrEmpty(request.Query["api-version"]))
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "BadParameter", "The api-version query parameter is required.");
            return;
        }

        if (auth != "issued")
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-00000000a2e0\", resource=\"{Resource}\"";
            await ErrorAsync(context, HttpStatusCode.Unauthorized, "Unauthorized", auth == "none" ? "AKV10000: Request is missing a Bearer or PoP token." : "AKV10032: Invalid issuer.");
            return;
        }

        var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method != "GET" || segments.Length is < 2 or > 3 || segments[0] != "secrets")
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "BadParameter", "Only GET /secrets/{name}[/{version}] is served here.");
            return;
        }

        var secretName = segments[1];
        var wanted = segments.Length == 3 ? segments[2] : null;
        (string Version, string Value, bool Enabled)? found = null;
        if (_secrets.TryGetValue(secretName, out var versions))
        {
            lock (versions)
            {
                found = wanted is null ? versions[^1] : versions.FirstOrDefault(v => v.Version == wanted) is { Version: not null } hit ? hit : null;
            }
        }

        if (found is not { } secret)
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {secretName}{(wanted is null ? "" : "/" + wanted)} was not found in this key vault.");
            return;
        }

        if (!secret.Enabled)
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "Forbidden", message = "Operation get is not allowed on a disabled secret.", innererror = new { code = "SecretDisabled" } } });
            return;
        }

        var created = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["value"] = secret.Value,
            ["id"] = $"{VaultUri}secrets/{secretName}/{secret.Version}",
            ["attributes"] = new Dictionary<string, object> { ["enabled"] = true, ["created"] = created, ["updated"] = created, ["recoveryLevel"] = "Recoverable+Purgeable" },
            ["tags"] = new Dictionary<string, string>(),
        });
    }

    private static async Task ErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { code, message } }));
    }
}
