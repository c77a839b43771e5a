using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>
/// The App Service managed-identity endpoint (api-version 2019-08-01) on 127.0.0.1 and a free port: what
/// Azure.Identity's ManagedIdentityCredential calls when IDENTITY_ENDPOINT and IDENTITY_HEADER are set. Checks the
/// X-IDENTITY-HEADER secret and issues random opaque tokens per resource; <see cref="IsIssued"/> lets the
/// resource servers accept only those.
/// </summary>
public sealed class ManagedIdentityEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _issued = new(StringComparer.Ordinal);
    private int _tokenRequests;

    private ManagedIdentityEndpoint(WebApplication app) => _app = app;

    /// <summary>The IDENTITY_HEADER value the credential must send back.</summary>
    public string IdentityHeader { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public Uri Endpoint { get; private set; } = null!;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new ManagedIdentityEndpoint(app);
        app.MapGet("/msi/token", endpoint.IssueAsync);
        await app.StartAsync(cancellationToken);
        endpoint.Endpoint = new Uri(app.Urls.Single() + "/msi/token");
        return endpoint;
    }

    private async Task IssueAsync(HttpContext context)
    {
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
