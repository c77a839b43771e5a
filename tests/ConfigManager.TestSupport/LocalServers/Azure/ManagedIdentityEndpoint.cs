using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>
/// The App Service managed-identity endpoint (api-version 2019-08-01) on a <see cref="LocalHttpServer"/>: what
/// Azure.Identity's ManagedIdentityCredential calls when IDENTITY_ENDPOINT and IDENTITY_HEADER are set. Checks the
/// X-IDENTITY-HEADER secret and issues random opaque tokens per resource; <see cref="IsIssued"/> lets the
/// resource servers accept only those.
/// </summary>
public sealed class ManagedIdentityEndpoint : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _issued = new(StringComparer.Ordinal);
    private LocalHttpServer _http = null!;
    private int _tokenRequests;

    private ManagedIdentityEndpoint()
    {
    }

    /// <summary>The IDENTITY_HEADER value the credential must send back.</summary>
    public string IdentityHeader { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public Uri Endpoint => new(_http.BaseAddress, "msi/token");

    public int TokenRequests => _tokenRequests;

    /// <summary>The environment that points DefaultAzureCredential at this endpoint and at nothing else.</summary>
    public IReadOnlyDictionary<string, string?> CredentialEnvironment => new Dictionary<string, string?>
    {
        ["AZURE_TOKEN_CREDENTIALS"] = "ManagedIdentityCredential",
        ["IDENTITY_ENDPOINT"] = Endpoint.ToString(),
        ["IDENTITY_HEADER"] = IdentityHeader,
        ["MSI_ENDPOINT"] = null,
        ["MSI_SECRET"] = null,
        ["IDENTITY_SERVER_THUMBPRINT"] = null,
        ["IMDS_ENDPOINT"] = null,
        ["AZURE_FEDERATED_TOKEN_FILE"] = null,
        ["AZURE_CLIENT_ID"] = null,
        ["AZURE_CLIENT_SECRET"] = null,
        ["AZURE_TENANT_ID"] = null,
    };

    /// <summary>Whether <paramref name="token"/> was issued here for <paramref name="resource"/>.</summary>
    public bool IsIssued(string token, string resource) => _issued.TryGetValue(token, out var issuedFor) && issuedFor == resource;

    public static async Task<ManagedIdentityEndpoint> StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var endpoint = new ManagedIdentityEndpoint();
        endpoint._http = await LocalHttpServer.StartAsync((request, context) => endpoint.IssueAsync(request, context));
        return endpoint;
    }

    private async Task IssueAsync(RecordedRequest request, HttpContext context)
    {
        if (request.Method != "GET" || context.Request.Path != "/msi/token")
        {
            context.Response.StatusCode = 404;
            return;
        }

        Interlocked.Increment(ref _tokenRequests);
        var query = context.Request.Query;
        if (context.Request.Headers["X-IDENTITY-HEADER"].ToString() != IdentityHeader)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { statusCode = 401, message = "X-IDENTITY-HEADER missing or wrong" });
            return;
        }

        if (query["api-version"] != "2019-08-01" || string.IsNullOrEmpty(query["resource"]))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { statusCode = 400, message = "api-version=2019-08-01 and resource are required" });
            return;
        }

        var resource = query["resource"].ToString();
        var token = "mi-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _issued[token] = resource;
        var expiresOn = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["expires_on"] = expiresOn.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = "00000000-0000-0000-0000-00000000c0de",
        });
    }

    public ValueTask DisposeAsync() => _http.DisposeAsync();
}
