using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>The JWT-bearer grant's assertion: an RS256 JWT signed with a service-account key (RFC 7523), valid for an hour.</summary>
internal static class ServiceAccountAssertion
{
    public const string Scope = "https://www.googleapis.com/auth/cloud-platform";

    public static string Create(string email, string tokenUri, string? keyId, string pem, string file)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Json(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            if (keyId is not null)
            {
                writer.WriteString("kid", keyId);
            }
        });
        var claims = Json(writer =>
        {
            writer.WriteString("iss", email);
            writer.WriteString("scope", Scope);
            writer.WriteString("aud", tokenUri);
            writer.WriteNumber("iat", now);
            writer.WriteNumber("exp", now + 3600);
        });
        var signingInput = Base64Url(header) + "." + Base64Url(claims);
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException)
        {
            throw new GcpException(GcpErrorCodes.BadSetting, $"the private_key of service-account key file {file} is not a PEM RSA key: download a new key");
        }

        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
