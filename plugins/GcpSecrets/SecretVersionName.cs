namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>
/// A GCPSECRETS token's secret version: <c>projects/P/secrets/S</c> (leading '/' optional) with <c>[version=N]</c> or
/// <c>[version=latest]</c> (the default), or the full <c>projects/P/secrets/S/versions/V</c>.
/// </summary>
internal sealed record SecretVersionName(string Project, string Secret, string Version)
{
    public static SecretVersionName Parse(string token, string metadata)
    {
        var parts = token.TrimStart('/').TrimEnd('/').Split('/');
        var shaped = parts.Length is 4 or 6 && parts[0] == "projects" && parts[2] == "secrets" && (parts.Length == 4 || parts[4] == "versions")
            && parts.All(part => part.Length > 0);
        if (!shaped)
        {
            throw new GcpException(GcpErrorCodes.BadToken,
                $"GCPSECRETS token '{token}' must be projects/<project>/secrets/<secret> (optionally /versions/<n|latest>), e.g. GCPSECRETS:///projects/my-project/secrets/db-password");
        }

        var version = parts.Length == 6 ? parts[5] : null;
        foreach (var pair in metadata.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals].Trim();
            if (key != "version")
            {
                throw new GcpException(GcpErrorCodes.BadToken, $"GCPSECRETS token '{token}': unknown metadata key '{key}' (known: version)");
            }

            var value = equals < 0 ? string.Empty : pair[(equals + 1)..].Trim();
            if (version is not null && version != value)
            {
                throw new GcpException(GcpErrorCodes.BadToken, $"GCPSECRETS token '{token}': the path says version {version} and the metadata says [version={value}]; give one");
            }

            version = value;
        }

        version ??= "latest";
        if (version != "latest" && (!uint.TryParse(version, out var number) || number == 0))
        {
            throw new GcpException(GcpErrorCodes.BadToken, $"GCPSECRETS token '{token}': version '{version}' must be a positive whole number or latest");
        }

        return new SecretVersionName(parts[1], parts[3], version);
    }

    /// <summary>The secret's resource name (without version), as IAM and messages name it.</summary>
    public string SecretName => $"projects/{Project}/secrets/{Secret}";

    public override string ToString() => $"{SecretName}/versions/{Version}";
}
