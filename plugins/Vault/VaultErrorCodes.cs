namespace ConfigManager.Plugins.Vault;

/// <summary>The VAULT plugin's error codes (CM231x), the first word of every error it returns; see docs/plugins-vault.md.</summary>
internal static class VaultErrorCodes
{
    /// <summary>A VAULT_* variable has a value the plugin cannot use.</summary>
    public const string BadSetting = "CM2310";

    /// <summary>No credentials: no VAULT_TOKEN, no ~/.vault-token, no login method (or aws_iam without AWS credentials).</summary>
    public const string NoCredentials = "CM2311";

    // CM2312 is retired (it refused VAULT_TOKEN=aws_iam before AWS IAM login existed); do not reuse it.

    /// <summary>The token's path or metadata is malformed.</summary>
    public const string BadToken = "CM2313";

    /// <summary>A login (AppRole, Kubernetes, JWT, AWS IAM) failed.</summary>
    public const string LoginFailed = "CM2314";

    /// <summary>Vault refused the read (403): the policy does not allow it.</summary>
    public const string PermissionDenied = "CM2315";

    /// <summary>No secret (or no such version) at the path (404), or the version is deleted/destroyed.</summary>
    public const string NotFound = "CM2316";

    /// <summary>Vault is sealed, in standby without forwarding, throttling or otherwise unavailable (429, 5xx, no connection).</summary>
    public const string Unavailable = "CM2317";

    /// <summary>Vault replied with something that is not a KV secret.</summary>
    public const string BadReply = "CM2318";
}
