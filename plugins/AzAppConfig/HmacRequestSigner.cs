using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>
/// App Configuration's HMAC-SHA256 request signing as Microsoft documents it (rest-api-authentication-hmac):
/// String-To-Sign = METHOD + '\n' + path_and_query + '\n' + x-ms-date;host;x-ms-content-sha256 values,
/// signed with the base64-decoded access key value.
/// </summary>
internal static class HmacRequestSigner
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    /// <summary>base64(SHA-256(body)).</summary>
    public static string ContentHash(ReadOnlySpan<byte> body) => Convert.ToBase64String(SHA256.HashData(body));

    /// <summary>The canonical request that is signed.</summary>
    public static string StringToSign(string method, string pathAndQuery, string date, string host, string contentHash) =>
        $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date};{host};{contentHash}";

    /// <summary>base64(HMAC-SHA256(secret, stringToSign)).</summary>
    public static string Signature(byte[] secret, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Adds x-ms-date, x-ms-content-sha256 and Authorization to a body-less request.</summary>
    public static void Sign(HttpRequestMessage request, string credential, byte[] secret, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("the request has no absolute URI", nameof(request));
        var date = now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        var hash = ContentHash([]);
        var signature = Signature(secret, StringToSign(request.Method.Method, uri.PathAndQuery, date, uri.Authority, hash));
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-content-sha256", hash);
        request.Headers.Authorization = new AuthenticationHeaderValue("HMAC-SHA256", $"Credential={credential}&SignedHeaders={SignedHeaders}&Signature={signature}");
    }
}
