using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ConfigManager.Plugins.AwsSecrets.Signing;

/// <summary>
/// AWS Signature Version 4 for an <see cref="HttpRequestMessage"/> (header form): sets X-Amz-Date, X-Amz-Security-Token
/// (with temporary credentials), Host and Authorization. Signs Host, Content-Type and every header the request carries
/// except transport headers a proxy may change. Verified against AWS's published test suite (SigV4SignerTests).
/// </summary>
internal static class SigV4Signer
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    private static readonly HashSet<string> s_unsigned = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "user-agent", "content-length", "connection", "expect", "transfer-encoding", "x-amzn-trace-id",
    };

    /// <summary>Signs <paramref name="request"/>, whose body is exactly <paramref name="body"/>, for <paramref name="service"/> in <paramref name="region"/> at <paramref name="now"/>.</summary>
    public static SigV4Signature Sign(
        HttpRequestMessage request, ReadOnlySpan<byte> body, AwsSigningCredentials credentials, string region, string service, DateTimeOffset now)
    {
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new ArgumentException("SigV4 signs absolute request URIs only", nameof(request));
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];

        request.Headers.Remove("Authorization");
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.Remove("X-Amz-Security-Token");
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);
        }

        // What is signed must be what is sent: pin Host rather than let the handler derive it.
        request.Headers.Host ??= uri.Authority;

        var headers = CanonicalHeaders(request);
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(CanonicalPath(uri)).Append('\n')
            .Append(CanonicalQuery(uri)).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Hex(SHA256.HashData(body)));
        var canonicalRequest = canonical.ToString();

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var signature = Hex(HMACSHA256.HashData(SigningKey(credentials.SecretAccessKey, date, region, service), Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return new SigV4Signature(canonicalRequest, stringToSign, authorization);
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    internal static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    private static SortedDictionary<string, string> CanonicalHeaders(HttpRequestMessage request)
    {
        var values = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, IEnumerable<string> headerValues)
        {
            if (s_unsigned.Contains(name))
            {
                return;
            }

            var key = name.ToLowerInvariant();
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
            }

            list.AddRange(headerValues.Select(CollapseSpaces));
        }

        foreach (var header in request.Headers.NonValidated)
        {
            Add(header.Key, header.Value);
        }

        if (request.Content is { } content)
        {
            foreach (var header in content.Headers.NonValidated)
            {
                Add(header.Key, header.Value);
            }
        }

        var canonical = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, list) in values)
        {
            canonical[name] = string.Join(',', list);
        }

        return canonical;
    }

    /// <summary>Trimmed, with every run of white space as one space (the suite's get-header-value-trim).</summary>
    private static string CollapseSpaces(string value)
    {
        var text = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>The path with dot segments and empty segments removed, each segment percent-encoded once (RFC 3986 unreserved kept).</summary>
    private static string CanonicalPath(Uri uri)
    {
        var raw = Uri.UnescapeDataString(uri.AbsolutePath);
        var segments = new List<string>();
        foreach (var segment in raw.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }

                    break;
                default:
                    segments.Add(Uri.EscapeDataString(segment));
                    break;
            }
        }

        var path = "/" + string.Join('/', segments);
        return segments.Count > 0 && raw.EndsWith('/') ? path + "/" : path;
    }

    /// <summary>name=value pairs, each side percent-encoded (RFC 3986), sorted by name then value.</summary>
    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return string.Empty;
        }

        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
                return (Name: Uri.EscapeDataString(Uri.UnescapeDataString(name)), Value: Uri.EscapeDataString(Uri.UnescapeDataString(value)));
            })
            .OrderBy(pair => pair.Name, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(pair => pair.Name + "=" + pair.Value));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
