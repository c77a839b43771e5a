namespace ConfigManager.Plugins.Vault;

/// <summary>
/// A VAULT token's store path split into the secrets engine's mount and the secret's path inside it, as configmanager
/// does: <c>mount___path/to/secret</c> (three underscores; the mount may itself contain '/'). Without <c>___</c> the
/// first segment is the mount (<c>secret/app/db</c> = mount <c>secret</c>, path <c>app/db</c>).
/// </summary>
internal sealed record VaultTokenPath(string Mount, string Path)
{
    public const string MountSeparator = "___";

    public static VaultTokenPath Parse(string token)
    {
        var trimmed = token.TrimStart('/');
        string mount;
        string path;
        var separator = trimmed.IndexOf(MountSeparator, StringComparison.Ordinal);
        if (separator >= 0)
        {
            mount = trimmed[..separator].Trim('/');
            path = trimmed[(separator + MountSeparator.Length)..].Replace(MountSeparator, string.Empty, StringComparison.Ordinal).Trim('/');
        }
        else
        {
            var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
            mount = slash < 0 ? trimmed : trimmed[..slash];
            path = slash < 0 ? string.Empty : trimmed[(slash + 1)..].Trim('/');
        }

        if (mount.Length == 0 || path.Length == 0 || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new VaultException(VaultErrorCodes.BadToken,
                $"VAULT token '{token}' must name a mount and a secret: VAULT://mount___path/to/secret (e.g. VAULT://secret___app/db)");
        }

        return new VaultTokenPath(mount, path);
    }

    /// <summary>The token as configmanager spells it, for messages.</summary>
    public override string ToString() => $"{Mount}{MountSeparator}{Path}";
}
