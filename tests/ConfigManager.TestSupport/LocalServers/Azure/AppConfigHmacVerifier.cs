using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>
/// Checks an App Configuration HMAC-SHA256 Authorization header as the service documents it
/// (rest-api-authentication-hmac): Credential known, SignedHeaders containing x-ms-date (or date), host and
/// x-ms-content-sha256, the content hash matching the body, the date within 15 minutes, the signature over
/// METHOD\npath_and_query\nsigned header values. Written from the documentation, independently of the plugin's signer.
/// </summary>
public static class AppConfigHmacVerifier
{
    /// <summary>Null when the request is signed correctly, else the error_description App Configuration gives.</summary>
    public static string? Verify(string authorization, string method, string rawTarget, Func<string, string?> header, byte[] body, string credential, byte[] secret, DateTimeOffset now)
    {
        var parameters = authorization["HMAC-SHA256 ".Length..].Split('&')
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.Ordinal);
        if (!parameters.TryGetValue("Credential", out var id) || !parameters.TryGetValue("SignedHeaders", out var signedHeaders) || !parameters.TryGetValue("Signature", out var signature))
        {
            return "[Credential][SignedHeaders][Signature] is required";
        }

        if (id != credential)
        {
            return "Invalid Credential";
        }

        var names = signedHeaders.Split(';');
        foreach (var required in new[] { "host", "x-ms-content-sha256" })
        {
            if (!names.Contains(required, StringComparer.OrdinalIgnoreCase))
            {
                return $"{required} is required as a signed header";
            }
        }

        var dateHeader = names.Contains("x-ms-date", StringComparer.OrdinalIgnoreCase) ? "x-ms-date" : names.Contains("date", StringComparer.OrdinalIgnoreCase) ? "date" : null;
        if (dateHeader is null)
        {
            return "x-ms-date is required as a signed header";
        }

        var values = new List<string>();
        foreach (var name in names)
        {
            if (header(name) is not { } value)
            {
                return $"Signed request header '{name}' is not provided";
            }

            values.Add(value);
        }

        if (!DateTimeOffset.TryParseExact(header(dateHeader), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return "Invalid access token date";
        }

        if ((now - date).Duration() > TimeSpan.FromMinutes(15))
        {
            return "The access token has expired";
        }

        if (header("x-ms-content-sha256") != Convert.ToBase64String(SHA256.HashData(body)))
        {
            return "Invalid content hash";
        }

        var stringToSign = method.ToUpperInvariant() + "\n" + rawTarget + "\n" + string.Join(';', values);
        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(stringToSign));
        byte[] given;
        try
        {
            given = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return "Invalid Signature";
        }

        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "Invalid Signature";
    }
}
