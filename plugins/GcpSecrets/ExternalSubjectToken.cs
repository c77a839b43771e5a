using System.Text.Json;

namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>
/// The subject token of an external_account file's credential_source: read from <c>file</c> or fetched from <c>url</c>
/// (with its <c>headers</c>), as text or, with <c>format.type = json</c>, from <c>format.subject_token_field_name</c>.
/// </summary>
internal static class ExternalSubjectToken
{
    public static async Task<string> ReadAsync(CredentialFile file, HttpClient http, CancellationToken cancellationToken)
    {
        var source = file.Root.GetProperty("credential_source");
        string text;
        string where;
        if (CredentialFile.Text(source, "file") is { } path)
        {
            where = $"credential_source.file {path}";
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new GcpException(GcpErrorCodes.BadSetting, $"external account file {file.Path}: cannot read the subject token at {where}: {ex.Message}. Write the OIDC token there before the build (e.g. from the CI's ID-token endpoint)");
            }
        }
        else
        {
            var url = CredentialFile.Text(source, "url")!;
            where = $"credential_source.url {url}";
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (source.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in headers.EnumerateObject())
                {
                    request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
                }
            }

            try
            {
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new GcpException(GcpErrorCodes.AuthFailed, $"external account file {file.Path}: {where} answered HTTP {(int)response.StatusCode}; check the URL and its headers");
                }

                text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new GcpException(GcpErrorCodes.AuthFailed, $"external account file {file.Path}: cannot reach {where} ({ex.Message.TrimEnd('.')})", ex);
            }
        }

        var token = Extract(source, text);
        return token is { Length: > 0 }
            ? token
            : throw new GcpException(GcpErrorCodes.BadSetting, $"external account file {file.Path}: {where} holds no subject token{(source.TryGetProperty("format", out _) ? " in the field its format names" : string.Empty)}");
    }

    private static string? Extract(JsonElement source, string text)
    {
        if (!source.TryGetProperty("format", out var format) || CredentialFile.Text(format, "type") != "json")
        {
            return text.Trim();
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            return CredentialFile.Text(format, "subject_token_field_name") is { } field ? CredentialFile.Text(json.RootElement, field) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
