using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.TestSupport.LocalServers.Vault;

/// <summary>
/// The login endpoints: <c>auth/approle/login</c> (role_id + secret_id), <c>auth/kubernetes/login</c> (role + the pod's
/// service-account JWT, as TokenReview would accept it) and <c>auth/jwt/login</c> (role + a JWT whose RS256 signature,
/// audience and expiry are checked against the role's key, as Vault's JWT method does with its JWKS)
/// and <c>auth/aws/login</c> (a SigV4-signed GetCallerIdentity, see <see cref="VaultAwsIamLogin"/>). Each success
/// issues a fresh client token with the role's policy; later reads must carry it.
/// </summary>
public sealed partial class VaultServer
{
    private readonly ConcurrentDictionary<string, (string Jwt, VaultPolicy Policy)> _kubernetesRoles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (RSA Key, string Audience, VaultPolicy Policy)> _jwtRoles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VaultAwsIamLogin> _awsRoles = new(StringComparer.Ordinal);

    /// <summary>An AWS auth (iam) role bound to the principal of <paramref name="login"/>'s access key.</summary>
    public void AddAwsIamRole(string role, VaultAwsIamLogin login) => _awsRoles[role] = login;

    /// <summary>A Kubernetes auth role that accepts exactly <paramref name="serviceAccountJwt"/>.</summary>
    public void AddKubernetesRole(string role, string serviceAccountJwt, params string[] readablePaths) =>
        _kubernetesRoles[role] = (serviceAccountJwt, new VaultPolicy(readablePaths));

    /// <summary>A JWT auth role: tokens signed by <paramref name="signingKey"/> (its public half is kept) for <paramref name="boundAudience"/>.</summary>
    public void AddJwtRole(string role, RSA signingKey, string boundAudience, params string[] readablePaths)
    {
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(signingKey.ExportSubjectPublicKeyInfo(), out _);
        _jwtRoles[role] = (publicKey, boundAudience, new VaultPolicy(readablePaths));
    }

    /// <summary>An RS256 JWT with the given audience and lifetime, signed by <paramref name="key"/> (a CI's OIDC token stand-in).</summary>
    public static string SignJwt(RSA key, string audience, string subject, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"RS256","typ":"JWT"}"""));
        var claims = Base64Url(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["iss"] = "https://token.actions.example.test",
            ["sub"] = subject,
            ["aud"] = audience,
            ["iat"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        }.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + claims + "." + Base64Url(signature);
    }

    private async Task LoginAsync(HttpContext context, string path)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await ErrorAsync(context, 405, "unsupported operation");
            return;
        }

        var body = await JsonNode.ParseAsync(context.Request.Body);
        switch (path)
        {
            case "auth/approle/login":
                await AppRoleLoginAsync(context, body);
                return;
            case "auth/kubernetes/login":
                var k8sRole = body?["role"]?.GetValue<string>();
                if (k8sRole is null || !_kubernetesRoles.TryGetValue(k8sRole, out var binding))
                {
                    await ErrorAsync(context, 400, $"invalid role name \"{k8sRole}\"");
                }
                else if (body?["jwt"]?.GetValue<string>() != binding.Jwt)
                {
                    await ErrorAsync(context, 403, "permission denied");
                }
                else
                {
                    await IssueClientTokenAsync(context, binding.Policy);
                }

                return;
            case "auth/jwt/login":
                var jwtRole = body?["role"]?.GetValue<string>();
                if (jwtRole is null || !_jwtRoles.TryGetValue(jwtRole, out var role))
                {
                    await ErrorAsync(context, 400, $"role \"{jwtRole}\" could not be found");
                }
                else if (JwtProblem(body?["jwt"]?.GetValue<string>(), role.Key, role.Audience) is { } problem)
                {
                    await ErrorAsync(context, 400, problem);
                }
                else
                {
                    await IssueClientTokenAsync(context, role.Policy);
                }

                return;
            case "auth/aws/login":
                var awsRole = body?["role"]?.GetValue<string>();
                if (awsRole is null || !_awsRoles.TryGetValue(awsRole, out var aws))
                {
                    await ErrorAsync(context, 400, $"entry for role {awsRole} not found");
                }
                else if (aws.Problem(body!) is { } refusal)
                {
                    await ErrorAsync(context, 400, refusal);
                }
                else
                {
                    await IssueClientTokenAsync(context, aws.Policy);
                }

                return;
            default:
                await ErrorAsync(context, 404, "no handler for route \"" + path + "\"");
                return;
        }
    }

    /// <summary>Vault's JWT method's refusal text for a token, or null when signature, audience and expiry hold.</summary>
    private static string? JwtProblem(string? jwt, RSA key, string audience)
    {
        var parts = jwt?.Split('.');
        if (parts is not { Length: 3 })
        {
            return "error validating token: malformed token";
        }

        try
        {
            if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return "error validating token: failed to verify id token signature";
            }

            var claims = JsonNode.Parse(Base64UrlDecode(parts[1]))!;
            if (claims["aud"]?.GetValue<string>() != audience)
            {
                return "error validating claims: claim \"aud\" is invalid";
            }

            return claims["exp"]?.GetValue<long>() is { } exp && exp > DateTimeOffset.UtcNow.ToUnixTimeSeconds() ? null : "error validating claims: token is expired";
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return "error validating token: malformed token";
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
