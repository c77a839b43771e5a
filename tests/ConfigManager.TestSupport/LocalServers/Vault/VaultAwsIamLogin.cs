using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConfigManager.TestSupport.LocalServers.Vault;

/// <summary>
/// What Vault's AWS auth method (auth_type=iam) checks of a login, with the stand-in playing STS too: the carried request is
/// <c>POST https://sts.amazonaws.com/</c> with <c>Action=GetCallerIdentity&amp;Version=2011-06-15</c>, signed with Signature
/// Version 4 (AWS4-HMAC-SHA256, scope DATE/us-east-1/sts/aws4_request, host and x-amz-date signed, x-amz-date within 15
/// minutes) by the role's access key, whose signature is recomputed here; the session token and Vault's server-ID header
/// must be present and signed when the role expects them.
/// </summary>
/// <param name="AccessKeyId">The IAM principal's access key id.</param>
/// <param name="SecretKey">Its secret key (STS knows it; so does this stand-in).</param>
/// <param name="SessionToken">The session token temporary credentials carry, or null.</param>
/// <param name="ServerId">The mount's iam_server_id_header_value, or null.</param>
/// <param name="Policy">What the issued client token may read.</param>
public sealed record VaultAwsIamLogin(string AccessKeyId, string SecretKey, string? SessionToken, string? ServerId, VaultPolicy Policy)
{
    /// <summary>Null when the login body holds a GetCallerIdentity request this principal signed; else Vault's refusal text.</summary>
    public string? Problem(JsonNode body)
    {
        try
        {
            var url = Decode(body["iam_request_url"]);
            var stsBody = Decode(body["iam_request_body"]);
            var headers = JsonNode.Parse(Decode(body["iam_request_headers"]))!.AsObject()
                .ToDictionary(pair => pair.Key.ToLowerInvariant(), pair => pair.Value is JsonArray array ? array[0]!.GetValue<string>() : pair.Value!.GetValue<string>(), StringComparer.Ordinal);
            if (body["iam_http_request_method"]?.GetValue<string>() != "POST" || url != "https://sts.amazonaws.com/" || stsBody != "Action=GetCallerIdentity&Version=2011-06-15")
            {
                return "error making upstream request: the request is not sts:GetCallerIdentity";
            }

            if (!headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)
                || !headers.TryGetValue("x-amz-date", out var amzDate) || headers.GetValueOrDefault("host") != "sts.amazonaws.com")
            {
                return "error making upstream request: received error code 403 from STS: MissingAuthenticationToken";
            }

            var fields = authorization["AWS4-HMAC-SHA256 ".Length..].Split(", ").Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            var credential = fields["Credential"].Split('/');
            var signed = fields["SignedHeaders"].Split(';');
            var when = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if (credential.Length != 5 || credential[0] != AccessKeyId || credential[1] != amzDate[..8] || credential[2] != "us-east-1" || credential[3] != "sts" || credential[4] != "aws4_request")
            {
                return "error making upstream request: received error code 403 from STS: InvalidClientTokenId";
            }

            if (Math.Abs((DateTimeOffset.UtcNow - when).TotalMinutes) > 15 || !signed.Contains("host") || !signed.Contains("x-amz-date")
                || (SessionToken is not null && (headers.GetValueOrDefault("x-amz-security-token") != SessionToken || !signed.Contains("x-amz-security-token"))))
            {
                return "error making upstream request: received error code 403 from STS: SignatureDoesNotMatch";
            }

            if (ServerId is not null && (headers.GetValueOrDefault("x-vault-aws-iam-server-id") != ServerId || !signed.Contains("x-vault-aws-iam-server-id")))
            {
                return "error validating X-Vault-AWS-IAM-Server-ID header: missing header \"X-Vault-AWS-IAM-Server-ID\"";
            }

            var canonical = "POST\n/\n\n" + string.Concat(signed.Select(name => $"{name}:{headers[name].Trim()}\n")) + "\n" + fields["SignedHeaders"] + "\n" + Sha256Hex(stsBody);
            var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{string.Join('/', credential.Skip(1))}\n{Sha256Hex(canonical)}";
            var key = new[] { amzDate[..8], "us-east-1", "sts", "aws4_request" }.Aggregate(Encoding.UTF8.GetBytes("AWS4" + SecretKey), (k, part) => HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(part)));
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(fields["Signature"]))
                ? null
                : "error making upstream request: received error code 403 from STS: SignatureDoesNotMatch";
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or NullReferenceException)
        {
            return "error parsing iam_request_headers: malformed login request";
        }
    }

    private static string Decode(JsonNode? node) => Encoding.UTF8.GetString(Convert.FromBase64String(node!.GetValue<string>()));

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
