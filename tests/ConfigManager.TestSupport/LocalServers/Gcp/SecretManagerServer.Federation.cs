using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.TestSupport.LocalServers.Gcp;

/// <summary>
/// The other Application Default Credentials grants: gcloud user credentials (refresh_token grant at /token), workload
/// identity federation's STS exchange (<c>POST /v1/token</c>, token-exchange grant, checked audience and subject token)
/// and IAM Credentials' <c>POST /v1/projects/-/serviceAccounts/SA:generateAccessToken</c> (service account impersonation,
/// allowed only to principals registered for it).
/// </summary>
public sealed partial class SecretManagerServer
{
    private readonly ConcurrentDictionary<string, (string ClientSecret, string RefreshToken, string Principal)> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Audience, string SubjectToken), string> _federated = new();
    private readonly ConcurrentDictionary<string, string> _impersonators = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _idTokens = new(StringComparer.Ordinal);
    private int _exchanges;

    /// <summary>The STS token URL (an external_account file's token_url).</summary>
    public Uri StsTokenUri => new(_http.BaseAddress, "v1/token");

    /// <summary>The generateAccessToken URL for <paramref name="serviceAccount"/> (service_account_impersonation_url).</summary>
    public Uri ImpersonationUri(string serviceAccount) => new(_http.BaseAddress, $"v1/projects/-/serviceAccounts/{serviceAccount}:generateAccessToken");

    /// <summary>A CI's ID-token endpoint (GitHub Actions' shape): <c>GET /id-token</c> with <c>Authorization: bearer REQUEST</c> answers <c>{"value":"JWT"}</c>.</summary>
    public Uri IdTokenUri => new(_http.BaseAddress, "id-token");

    /// <summary>Lets <see cref="IdTokenUri"/> hand out <paramref name="subjectToken"/> to callers presenting <paramref name="requestToken"/>.</summary>
    public void AddIdToken(string requestToken, string subjectToken) => _idTokens[requestToken] = subjectToken;

    /// <summary>STS exchanges and impersonations served.</summary>
    public int Exchanges => Volatile.Read(ref _exchanges);

    /// <summary>A gcloud user: the refresh-token grant with these client credentials issues tokens for <paramref name="principal"/>.</summary>
    public void AddUser(string clientId, string clientSecret, string refreshToken, string principal) => _users[clientId] = (clientSecret, refreshToken, principal);

    /// <summary>A workload identity pool provider: <paramref name="subjectToken"/> presented for <paramref name="audience"/> becomes <paramref name="principal"/>.</summary>
    public void AddFederatedSubject(string audience, string subjectToken, string principal) => _federated[(audience, subjectToken)] = principal;

    /// <summary>Lets <paramref name="principal"/> mint tokens for <paramref name="serviceAccount"/> (roles/iam.workloadIdentityUser).</summary>
    public void AllowImpersonation(string principal, string serviceAccount) => _impersonators[principal] = serviceAccount;

    private async Task RefreshAsync(Dictionary<string, string> form, HttpContext context)
    {
        if (!_users.TryGetValue(form.GetValueOrDefault("client_id") ?? string.Empty, out var user)
            || user.ClientSecret != form.GetValueOrDefault("client_secret") || user.RefreshToken != form.GetValueOrDefault("refresh_token"))
        {
            await ReplyAsync(context, 400, """{"error":"invalid_grant","error_description":"Token has been expired or revoked."}""");
            return;
        }

        Interlocked.Increment(ref _tokenGrants);
        await ReplyAsync(context, 200, JsonSerializer.Serialize(new { access_token = IssueAccessToken(user.Principal), expires_in = 3599, token_type = "Bearer", scope = CloudPlatformScope }));
    }

    private async Task<bool> FederationAsync(RecordedRequest request, string path, HttpContext context)
    {
        if (request.Method == "GET" && path == "/id-token")
        {
            var bearer = request.Header("authorization");
            if (bearer is null || !bearer.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) || !_idTokens.TryGetValue(bearer["bearer ".Length..], out var issued))
            {
                await ReplyAsync(context, 401, """{"message":"Bad credentials"}""");
                return true;
            }

            await ReplyAsync(context, 200, JsonSerializer.Serialize(new { count = 1, value = issued }));
            return true;
        }

        if (request.Method == "POST" && path == "/v1/token")
        {
            var form = ParseForm(request.BodyText);
            if (form.GetValueOrDefault("grant_type") != "urn:ietf:params:oauth:grant-type:token-exchange"
                || form.GetValueOrDefault("requested_token_type") != "urn:ietf:params:oauth:token-type:access_token"
                || form.GetValueOrDefault("subject_token_type") is not { Length: > 0 }
                || !(form.GetValueOrDefault("scope") ?? string.Empty).Split(' ').Contains(CloudPlatformScope))
            {
                await ReplyAsync(context, 400, """{"error":"invalid_request","error_description":"Invalid token exchange request."}""");
                return true;
            }

            if (!_federated.TryGetValue((form.GetValueOrDefault("audience") ?? string.Empty, form.GetValueOrDefault("subject_token") ?? string.Empty), out var principal))
            {
                await ReplyAsync(context, 400, """{"error":"invalid_grant","error_description":"The audience or the subject token is invalid."}""");
                return true;
            }

            Interlocked.Increment(ref _exchanges);
            await ReplyAsync(context, 200, JsonSerializer.Serialize(new
            {
                access_token = IssueAccessToken(principal),
                issued_token_type = "urn:ietf:params:oauth:token-type:access_token",
                token_type = "Bearer",
                expires_in = 3600,
            }));
            return true;
        }

        const string Prefix = "/v1/projects/-/serviceAccounts/";
        if (request.Method == "POST" && path.StartsWith(Prefix, StringComparison.Ordinal) && path.EndsWith(":generateAccessToken", StringComparison.Ordinal))
        {
            var target = Uri.UnescapeDataString(path[Prefix.Length..^":generateAccessToken".Length]);
            var auth = request.Header("authorization");
            if (auth is null || !auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.TryGetValue(auth["Bearer ".Length..], out var caller))
            {
                await ReplyAsync(context, 401, ErrorBody(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
                return true;
            }

            if (_impersonators.GetValueOrDefault(caller) != target)
            {
                await ReplyAsync(context, 403, ErrorBody(403, "PERMISSION_DENIED", "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist)."));
                return true;
            }

            using var body = JsonDocument.Parse(request.BodyText);
            if (!body.RootElement.TryGetProperty("scope", out var scope) || !scope.EnumerateArray().Any(s => s.GetString() == CloudPlatformScope))
            {
                await ReplyAsync(context, 400, ErrorBody(400, "INVALID_ARGUMENT", "Scope required."));
                return true;
            }

            Interlocked.Increment(ref _exchanges);
            await ReplyAsync(context, 200, JsonSerializer.Serialize(new { accessToken = IssueAccessToken(target), expireTime = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) }));
            return true;
        }

        return false;
    }
}
