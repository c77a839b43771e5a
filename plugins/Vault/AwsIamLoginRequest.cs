using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ConfigManager.Plugins.Vault;

/// <summary>
/// The body of Vault's AWS IAM login (<c>POST /v1/auth/aws/login</c>): an sts:GetCallerIdentity request signed with
/// Signature Version 4 by the caller's AWS credentials, carried base64-encoded (method, URL, body, headers) for Vault to
/// forward to STS, which tells Vault who signed it. Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
/// AWS_SESSION_TOKEN (what CI credential actions export); they and the signature never reach a message.
/// </summary>
internal static class AwsIamLoginRequest
{
    private const string StsBody = "Action=GetCallerIdentity&Version=2011-06-15";

    public static byte[] Create(string role, Func<string, string?> read, DateTimeOffset now)
    {
        var accessKey = read("AWS_ACCESS_KEY_ID");
        var secretKey = read("AWS_SECRET_ACCESS_KEY");
        if (accessKey is null || secretKey is null)
        {
            throw new VaultException(VaultErrorCodes.NoCredentials,
                "VAULT_TOKEN=aws_iam needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), e.g. with aws-actions/configure-aws-credentials");
        }

        var region = read("VAULT_AWS_STS_REGION") ?? "us-east-1";
        var host = region == "us-east-1" ? "sts.amazonaws.com" : $"sts.{region}.amazonaws.com";
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
            ["host"] = host,
            ["x-amz-date"] = amzDate,
        };
        if (read("AWS_SESSION_TOKEN") is { } session)
        {
            headers["x-amz-security-token"] = session;
        }

        if (read("VAULT_AWS_HEADER_VALUE") is { } serverId)
        {
            // Vault's iam_server_id_header_value: binds the signed request to this Vault, so it cannot be replayed elsewhere.
            headers["x-vault-aws-iam-server-id"] = serverId;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = $"POST\n/\n\n{string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n"))}\n{signedHeaders}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(StsBody)))}";
        var scope = $"{amzDate[..8]}/{region}/sts/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), amzDate[..8]), region), "sts"), "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        headers["authorization"] = $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";

        using var headerJson = new MemoryStream();
        using (var json = new Utf8JsonWriter(headerJson))
        {
            json.WriteStartObject();
            foreach (var (name, value) in headers)
            {
                json.WriteStartArray(name);
                json.WriteStringValue(value);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("role", role);
            json.WriteString("iam_http_request_method", "POST");
            json.WriteString("iam_request_url", Convert.ToBase64String(Encoding.UTF8.GetBytes($"https://{host}/")));
            json.WriteString("iam_request_body", Convert.ToBase64String(Encoding.UTF8.GetBytes(StsBody)));
            json.WriteString("iam_request_headers", Convert.ToBase64String(headerJson.ToArray()));
            json.WriteEndObject();
        }

        return body.ToArray();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
