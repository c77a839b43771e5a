using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ConfigManager.PluginSdk;

namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>
/// configmanager's GCPSECRETS semantics: the secret version's payload as text. Reads
/// <c>GET /v1/projects/P/secrets/S/versions/V:access</c> over REST, base64-decodes <c>payload.data</c> and checks
/// <c>payload.dataCrc32c</c> (CRC32C) when the server sends it. Key lookup into JSON payloads is the host's job.
/// </summary>
internal sealed class SecretManagerTokenStore(GcpSettings settings, GoogleAccessTokenSource credential, HttpClient http) : ITokenStore
{
    public async Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var name = SecretVersionName.Parse(token, metadata);
        var accessToken = await credential.GetAsync(cancellationToken).ConfigureAwait(false);
        var url = $"{settings.Endpoint}/v1/projects/{Uri.EscapeDataString(name.Project)}/secrets/{Uri.EscapeDataString(name.Secret)}/versions/{Uri.EscapeDataString(name.Version)}:access";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new GcpException(GcpErrorCodes.Unavailable, $"GCPSECRETS token '{name}': cannot reach Secret Manager at {settings.Endpoint} ({ex.Message}); check the network and {GcpSettings.EndpointVariable}", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(name, response.StatusCode, text);
            }

            return Payload(name, text);
        }
    }

    private static string Payload(SecretVersionName name, string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var payload = json.RootElement.GetProperty("payload");
            var data = payload.TryGetProperty("data", out var encoded) && encoded.GetString() is { } base64 ? Convert.FromBase64String(base64) : [];
            if (payload.TryGetProperty("dataCrc32c", out var sent))
            {
                // int64 fields travel as JSON strings in Google's REST mapping; accept a number too.
                var expected = sent.ValueKind == JsonValueKind.String ? long.Parse(sent.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture) : sent.GetInt64();
                var actual = Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
                if (expected != actual)
                {
                    throw new GcpException(GcpErrorCodes.BadReply, $"GCPSECRETS token '{name}': the payload's CRC32C ({actual}) does not match the server's dataCrc32c ({expected}): the value was corrupted in transit; run again");
                }
            }

            return new UTF8Encoding(false, true).GetString(data);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new GcpException(GcpErrorCodes.BadReply, $"GCPSECRETS token '{name}': Secret Manager's reply has no valid payload.data (or the payload is not UTF-8 text)");
        }
    }

    private GcpException Failure(SecretVersionName name, HttpStatusCode status, string text)
    {
        var (message, state) = GoogleError(text);
        var detail = $"HTTP {(int)status} {state}{(message is null ? string.Empty : ": " + message)}".TrimEnd();
        return status switch
        {
            HttpStatusCode.Forbidden => new GcpException(GcpErrorCodes.PermissionDenied,
                $"GCPSECRETS token '{name}': Secret Manager denied access ({detail}). Grant {credential.Principal} roles/secretmanager.secretAccessor on {name.SecretName} (or its project), e.g. gcloud secrets add-iam-policy-binding {name.Secret} --project {name.Project} --role roles/secretmanager.secretAccessor --member serviceAccount:EMAIL"),
            HttpStatusCode.Unauthorized => new GcpException(GcpErrorCodes.AuthFailed,
                $"GCPSECRETS token '{name}': Secret Manager did not accept the access token of {credential.Principal} ({detail}); check the credentials"),
            HttpStatusCode.NotFound => new GcpException(GcpErrorCodes.NotFound,
                $"GCPSECRETS token '{name}': no such secret or version ({detail}); check the project, the secret name and the version"),
            HttpStatusCode.BadRequest when state == "FAILED_PRECONDITION" => new GcpException(GcpErrorCodes.NotFound,
                $"GCPSECRETS token '{name}': the version is not enabled ({detail}); enable it or ask for another [version=N]"),
            HttpStatusCode.TooManyRequests => new GcpException(GcpErrorCodes.Unavailable,
                $"GCPSECRETS token '{name}': Secret Manager throttled the access ({detail}); retry later or raise the project's quota"),
            >= HttpStatusCode.InternalServerError => new GcpException(GcpErrorCodes.Unavailable,
                $"GCPSECRETS token '{name}': Secret Manager is unavailable ({detail}); retry later"),
            _ => new GcpException(GcpErrorCodes.BadReply, $"GCPSECRETS token '{name}': Secret Manager refused the access ({detail})"),
        };
    }

    /// <summary>Google's error body <c>{"error":{"code","message","status"}}</c>: its message and status, when present.</summary>
    private static (string? Message, string Status) GoogleError(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (error.TryGetProperty("message", out var m) ? m.GetString() : null, error.TryGetProperty("status", out var s) ? s.GetString() ?? string.Empty : string.Empty);
            }
        }
        catch (JsonException)
        {
            // Not Google's JSON error shape.
        }

        return (null, string.Empty);
    }
}
