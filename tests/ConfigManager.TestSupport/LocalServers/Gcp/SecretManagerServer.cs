using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.TestSupport.LocalServers.Gcp;

/// <summary>
/// A stand-in for Secret Manager's REST API and Google's OAuth token endpoint on 127.0.0.1 (HTTPS with a test CA),
/// strict where the plugin's correctness is at stake: <c>GET /v1/projects/P/secrets/S/versions/V:access</c> needs a
/// bearer token this server issued, for a principal granted roles/secretmanager.secretAccessor on the secret; the reply
/// carries payload.data (base64) and payload.dataCrc32c (an int64 as a JSON string). <c>POST /token</c> accepts the
/// JWT-bearer grant only with an RS256 assertion signed by a registered service account's key, addressed to this
/// endpoint, for the cloud-platform scope and not expired. Faults (403/404/429/503, slow replies) are injected through
/// <see cref="Http"/>; <see cref="CorruptChecksums"/> makes replies carry a wrong CRC32C.
/// </summary>
public sealed partial class SecretManagerServer : IAsyncDisposable
{
    private const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly ConcurrentDictionary<string, (RSA PublicKey, string KeyId)> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<(byte[] Data, string State)>> _secrets = new(StringComparer.Ordinal);
    private LocalHttpServer _http = null!;
    private int _tokenGrants;
    private int _corrupt;

    private SecretManagerServer()
    {
    }

    /// <summary>The server under it: its requests, and fault injection.</summary>
    public LocalHttpServer Http => _http;

    /// <summary><c>https://127.0.0.1:PORT</c>: the value for CONFIGMANAGER_GCPSECRETS_ENDPOINT.</summary>
    public string Endpoint => _http.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The OAuth token endpoint (a service-account key file's token_uri).</summary>
    public Uri TokenUri => new(_http.BaseAddress, "token");

    /// <summary>Access tokens granted at <see cref="TokenUri"/> so far.</summary>
    public int TokenGrants => Volatile.Read(ref _tokenGrants);

    /// <summary>How many of the next access replies carry a wrong dataCrc32c.</summary>
    public int CorruptChecksums
    {
        get => Volatile.Read(ref _corrupt);
        set => Volatile.Write(ref _corrupt, value);
    }

    /// <summary>Starts the server; <paramref name="certificate"/> (with its key) turns on HTTPS, as Google's endpoints are.</summary>
    public static async Task<SecretManagerServer> StartAsync(X509Certificate2? certificate)
    {
        var server = new SecretManagerServer();
        server._http = await LocalHttpServer.StartAsync(server.HandleAsync, certificate);
        return server;
    }

    /// <summary>Registers a service account whose key file assertions the token endpoint accepts.</summary>
    public void AddServiceAccount(GcpServiceAccount account)
    {
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(account.Key.ExportSubjectPublicKeyInfo(), out _);
        _accounts[account.Email] = (publicKey, account.KeyId);
    }

    /// <summary>Grants <paramref name="principal"/> secretAccessor on the named secrets ("projects/p/secrets/s", or "*" for all).</summary>
    public void Grant(string principal, params string[] secretNames) => _grants[principal] = secretNames;

    /// <summary>An access token for <paramref name="principal"/>, as another issuer (the metadata server) hands it out.</summary>
    public string IssueAccessToken(string principal)
    {
        var token = "ya29.test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _issued[token] = principal;
        return token;
    }

    /// <summary>Adds a version (numbered from 1) to projects/P/secrets/S; <paramref name="state"/> ENABLED, DISABLED or DESTROYED.</summary>
    public int AddVersion(string project, string secret, string value, string state = "ENABLED")
    {
        var versions = _secrets.GetOrAdd($"projects/{project}/secrets/{secret}", _ => []);
        lock (versions)
        {
            versions.Add((Encoding.UTF8.GetBytes(value), state));
            return versions.Count;
        }
    }

    /// <summary>Google's JSON error body.</summary>
    public static string ErrorBody(int code, string status, string message) =>
        JsonSerializer.Serialize(new { error = new { code, message, status } });

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private async Task HandleAsync(RecordedRequest request, HttpContext context)
    {
        var path = request.PathAndQuery.Split('?')[0];
        if (request.Method == "POST" && path == "/token")
        {
            await TokenAsync(request, context);
            return;
        }

        if (await FederationAsync(request, path, context))
        {
            return;
        }

        var parts = path.Split('/');
        // /v1/projects/P/secrets/S/versions/V:access
        if (request.Method != "GET" || parts.Length != 8 || parts[1] != "v1" || parts[2] != "projects" || parts[4] != "secrets" || parts[6] != "versions"
            || !parts[7].EndsWith(":access", StringComparison.Ordinal))
        {
            await ReplyAsync(context, 404, ErrorBody(404, "NOT_FOUND", $"no such method: {request.Method} {path}"));
            return;
        }

        var auth = request.Header("authorization");
        if (auth is null || !auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.TryGetValue(auth["Bearer ".Length..], out var principal))
        {
            await ReplyAsync(context, 401, ErrorBody(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."));
            return;
        }

        var secretName = $"projects/{Uri.UnescapeDataString(parts[3])}/secrets/{Uri.UnescapeDataString(parts[5])}";
        var version = Uri.UnescapeDataString(parts[7][..^":access".Length]);
        var resource = $"{secretName}/versions/{version}";
        if (!_grants.TryGetValue(principal, out var granted) || !granted.Any(name => name == "*" || name == secretName))
        {
            await ReplyAsync(context, 403, ErrorBody(403, "PERMISSION_DENIED", $"Permission 'secretmanager.versions.access' denied for resource '{resource}' (or it may not exist)."));
            return;
        }

        if (!_secrets.TryGetValue(secretName, out var versions))
        {
            await ReplyAsync(context, 404, ErrorBody(404, "NOT_FOUND", $"Secret [{secretName}] not found or has no versions."));
            return;
        }

        (byte[] Data, string State) found;
        int number;
        lock (versions)
        {
            number = version == "latest" ? versions.Count : int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            if (number < 1 || number > versions.Count)
            {
                found = default;
            }
            else
            {
                found = versions[number - 1];
            }
        }

        if (found.Data is null)
        {
            await ReplyAsync(context, 404, ErrorBody(404, "NOT_FOUND", $"Secret Version [{resource}] not found."));
            return;
        }

        if (found.State != "ENABLED")
        {
            await ReplyAsync(context, 400, ErrorBody(400, "FAILED_PRECONDITION", $"Secret Version [{secretName}/versions/{number}] is in {found.State} state."));
            return;
        }

        var crc = Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, found.Data);
        if (Interlocked.Decrement(ref _corrupt) >= 0)
        {
            crc ^= 0x5A5A;
        }
        else
        {
            Interlocked.Increment(ref _corrupt);
        }

        await ReplyAsync(context, 200, JsonSerializer.Serialize(new
        {
            name = $"{secretName}/versions/{number}",
            payload = new { data = Convert.ToBase64String(found.Data), dataCrc32c = crc.ToString(CultureInfo.InvariantCulture) },
        }));
    }

    private async Task TokenAsync(RecordedRequest request, HttpContext context)
    {
        var form = ParseForm(request.BodyText);
        if (request.Header("content-type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true
            && form.GetValueOrDefault("grant_type") == "refresh_token")
        {
            await RefreshAsync(form, context);
            return;
        }

        if (request.Header("content-type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true
            || form.GetValueOrDefault("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            await ReplyAsync(context, 400, """{"error":"unsupported_grant_type","error_description":"Invalid grant_type."}""");
            return;
        }

        if (VerifyAssertion(form.GetValueOrDefault("assertion")) is not { } email)
        {
            await ReplyAsync(context, 400, """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}""");
            return;
        }

        Interlocked.Increment(ref _tokenGrants);
        await ReplyAsync(context, 200, JsonSerializer.Serialize(new { access_token = IssueAccessToken(email), expires_in = 3599, token_type = "Bearer" }));
    }

    /// <summary>The assertion's issuer when it is a well-formed RS256 JWT signed by that account's key for this endpoint; else null.</summary>
    private string? VerifyAssertion(string? assertion)
    {
        var parts = assertion?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
            using var claims = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var h = header.RootElement;
            var c = claims.RootElement;
            if (h.GetProperty("alg").GetString() != "RS256" || c.GetProperty("iss").GetString() is not { } email
                || !_accounts.TryGetValue(email, out var account)
                || (h.TryGetProperty("kid", out var kid) && kid.GetString() != account.KeyId)
                || c.GetProperty("aud").GetString() != TokenUri.ToString()
                || !(c.GetProperty("scope").GetString() ?? string.Empty).Split(' ').Contains(CloudPlatformScope))
            {
                return null;
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var iat = c.GetProperty("iat").GetInt64();
            var exp = c.GetProperty("exp").GetInt64();
            if (iat > now + 300 || exp <= now || exp - iat > 3600)
            {
                return null;
            }

            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            return account.PublicKey.VerifyData(signed, Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) ? email : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => Uri.UnescapeDataString(pair[0].Replace('+', ' ')), pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : string.Empty, StringComparer.Ordinal);

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static async Task ReplyAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(json);
    }
}
