using System.Globalization;

namespace ConfigManager.Plugins.Vault;

/// <summary>
/// A VAULT token's <c>[...]</c> metadata: <c>version=N</c> (a KV v2 version) and <c>iam_role=NAME</c> (configmanager's AWS
/// IAM login role, used with VAULT_TOKEN=aws_iam), comma-separated key=value pairs.
/// </summary>
internal sealed record VaultMetadata(int? Version, string? IamRole = null)
{
    public static VaultMetadata Parse(string metadata, VaultTokenPath path)
    {
        int? version = null;
        string? iamRole = null;
        foreach (var pair in metadata.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals].Trim();
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..].Trim();
            switch (key)
            {
                case "version":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                    {
                        throw new VaultException(VaultErrorCodes.BadToken, $"VAULT token '{path}': [version={value}] must be a positive whole number (a KV v2 version)");
                    }

                    version = number;
                    break;
                case "iam_role":
                    iamRole = value.Length > 0 ? value : null;
                    break;
                default:
                    throw new VaultException(VaultErrorCodes.BadToken, $"VAULT token '{path}': unknown metadata key '{key}' (known: version, iam_role)");
            }
        }

        return new VaultMetadata(version, iamRole);
    }
}
