using System.Text.Json;

namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>
/// A GOOGLE_APPLICATION_CREDENTIALS file, as Application Default Credentials read it: <c>service_account</c> (a key:
/// JWT-bearer grant), <c>authorized_user</c> (gcloud user credentials: refresh-token grant) or <c>external_account</c>
/// (workload identity federation: a subject token from a file or URL exchanged at STS, optionally impersonating a service
/// account). Parsed once; secrets in it never reach a message.
/// </summary>
internal sealed record CredentialFile
{
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    public required string Path { get; init; }

    public required string Type { get; init; }

    /// <summary>Who the calls run as, for "grant roles/secretmanager.secretAccessor to ..." messages.</summary>
    public required string Principal { get; init; }

    /// <summary>The token endpoint: token_uri (service account, user) or token_url (STS).</summary>
    public required string TokenUri { get; init; }

    public JsonElement Root { get; init; }

    public static CredentialFile Read(string file)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            root = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new GcpException(GcpErrorCodes.BadSetting, $"cannot read GOOGLE_APPLICATION_CREDENTIALS file {file}: {(ex is JsonException ? "not JSON" : ex.Message)}. Point it at a service-account key, a gcloud application-default credentials file or a workload identity federation configuration");
        }

        var type = Text(root, "type");
        switch (type)
        {
            case "service_account":
                var email = Text(root, "client_email");
                if (email is null || Text(root, "private_key") is null)
                {
                    throw new GcpException(GcpErrorCodes.BadSetting, $"service-account key file {file} lacks client_email or private_key: download a new key");
                }

                return new CredentialFile { Path = file, Type = type, Principal = $"service account {email}", TokenUri = Text(root, "token_uri") ?? DefaultTokenUri, Root = root };
            case "authorized_user":
                if (Text(root, "client_id") is null || Text(root, "client_secret") is null || Text(root, "refresh_token") is null)
                {
                    throw new GcpException(GcpErrorCodes.BadSetting, $"user credentials file {file} lacks client_id, client_secret or refresh_token: run gcloud auth application-default login again");
                }

                return new CredentialFile { Path = file, Type = type, Principal = "the gcloud user of " + file, TokenUri = Text(root, "token_uri") ?? DefaultTokenUri, Root = root };
            case "external_account":
                return ExternalAccount(file, root);
            default:
                throw new GcpException(GcpErrorCodes.UnsupportedCredential,
                    $"GOOGLE_APPLICATION_CREDENTIALS file {file} has type '{type ?? "(none)"}'; this plugin supports service_account, authorized_user and external_account files and the metadata server");
        }
    }

    private static CredentialFile ExternalAccount(string file, JsonElement root)
    {
        var audience = Text(root, "audience");
        var tokenUrl = Text(root, "token_url");
        if (audience is null || tokenUrl is null || Text(root, "subject_token_type") is null)
        {
            throw new GcpException(GcpErrorCodes.BadSetting, $"external account file {file} lacks audience, subject_token_type or token_url: regenerate it with gcloud iam workload-identity-pools create-cred-config");
        }

        if (!root.TryGetProperty("credential_source", out var source) || source.ValueKind != JsonValueKind.Object
            || (Text(source, "file") is null && Text(source, "url") is null))
        {
            var kind = root.TryGetProperty("credential_source", out var s) && Text(s, "environment_id") is { } id ? $"credential_source.environment_id '{id}'" : "its credential_source";
            throw new GcpException(GcpErrorCodes.UnsupportedCredential,
                $"external account file {file}: {kind} is not supported; this plugin reads a subject token from credential_source.file or credential_source.url (e.g. GitHub Actions OIDC written to a file)");
        }

        var impersonated = Text(root, "service_account_impersonation_url") is { } url && url.LastIndexOf("/serviceAccounts/", StringComparison.Ordinal) is var at and >= 0
            ? url[(at + "/serviceAccounts/".Length)..].Split(':')[0]
            : null;
        var principal = impersonated is not null ? $"service account {Uri.UnescapeDataString(impersonated)} (impersonated through {audience})" : $"the workload identity principal of {audience}";
        return new CredentialFile { Path = file, Type = "external_account", Principal = principal, TokenUri = tokenUrl, Root = root };
    }

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
