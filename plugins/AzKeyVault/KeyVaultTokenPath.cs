namespace ConfigManager.Plugins.AzKeyVault;

/// <summary>
/// The store path of an AZKVSECRET token, <c>vault-name/secret-name</c> (a leading '/' from the
/// <c>AZKVSECRET:///</c> spelling is dropped), and its optional <c>version=id</c> metadata.
/// </summary>
internal sealed record KeyVaultTokenPath(string Vault, string Secret, string? Version)
{
    public static KeyVaultTokenPath Parse(string token, string metadata)
    {
        var path = token.StartsWith('/') ? token[1..] : token;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1 || path.IndexOf('/', slash + 1) >= 0)
        {
            throw new ArgumentException($"{KeyVaultErrorCodes.BadToken}: AZKVSECRET token '{token}' must be vault-name/secret-name (e.g. AZKVSECRET:///my-vault/db-password).");
        }

        var vault = path[..slash];
        var secret = path[(slash + 1)..];
        if (!IsName(vault, 3, 24))
        {
            throw new ArgumentException($"{KeyVaultErrorCodes.BadToken}: AZKVSECRET token '{token}': vault name '{vault}' must be 3-24 letters, digits or '-' (Key Vault naming rules).");
        }

        if (!IsName(secret, 1, 127))
        {
            throw new ArgumentException($"{KeyVaultErrorCodes.BadToken}: AZKVSECRET token '{token}': secret name '{secret}' must be 1-127 letters, digits or '-' (Key Vault naming rules).");
        }

        return new KeyVaultTokenPath(vault, secret, VersionOf(token, metadata));
    }

    public override string ToString() => Version is null ? $"{Vault}/{Secret}" : $"{Vault}/{Secret} version {Version}";

    // configmanager metadata is key=value pairs separated by ','; only 'version' means something here.
    private static string? VersionOf(string token, string metadata)
    {
        string? version = null;
        foreach (var pair in metadata.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals].Trim();
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..].Trim();
            if (!key.Equals("version", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"{KeyVaultErrorCodes.BadToken}: AZKVSECRET token '{token}': unknown metadata '{key}' (only version=<secret-version-id> is understood).");
            }

            if (value.Length == 0 || !value.All(char.IsAsciiLetterOrDigit))
            {
                throw new ArgumentException($"{KeyVaultErrorCodes.BadToken}: AZKVSECRET token '{token}': version must be a secret version id (letters and digits), got '{value}'.");
            }

            version = value;
        }

        return version;
    }

    private static bool IsName(string name, int min, int max) =>
        name.Length >= min && name.Length <= max && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
