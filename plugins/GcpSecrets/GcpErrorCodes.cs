namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>The GCPSECRETS plugin's error codes (CM232x), the first word of every error it returns; see docs/plugins-gcp.md.</summary>
internal static class GcpErrorCodes
{
    /// <summary>A setting (GOOGLE_APPLICATION_CREDENTIALS file, endpoint variable) cannot be used.</summary>
    public const string BadSetting = "CM2320";

    /// <summary>No credentials: no key file and no metadata server.</summary>
    public const string NoCredentials = "CM2321";

    /// <summary>The credential file's type is not implemented (external_account, authorized_user, ...).</summary>
    public const string UnsupportedCredential = "CM2322";

    /// <summary>The token's path or metadata is malformed.</summary>
    public const string BadToken = "CM2323";

    /// <summary>Getting an access token failed (token endpoint or metadata server refused).</summary>
    public const string AuthFailed = "CM2324";

    /// <summary>Secret Manager refused the access (403): the principal lacks roles/secretmanager.secretAccessor.</summary>
    public const string PermissionDenied = "CM2325";

    /// <summary>No such secret or version (404), or the version is disabled/destroyed.</summary>
    public const string NotFound = "CM2326";

    /// <summary>Throttled (429) or unavailable (5xx, no connection).</summary>
    public const string Unavailable = "CM2327";

    /// <summary>A reply that is not what the API documents, or a payload whose CRC32C does not match.</summary>
    public const string BadReply = "CM2328";
}
