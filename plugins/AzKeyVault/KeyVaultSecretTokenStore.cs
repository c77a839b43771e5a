using ConfigManager.PluginSdk;

namespace ConfigManager.Plugins.AzKeyVault;

/// <summary>
/// configmanager's AZKVSECRET semantics: the secret's value (latest version unless <c>[version=id]</c>).
/// Key lookup (<c>|key</c>) into a JSON value is done by the host. Errors name the vault and secret, never a value.
/// </summary>
internal sealed class KeyVaultSecretTokenStore(KeyVaultSecretReader reader) : ITokenStore
{
    public Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var path = KeyVaultTokenPath.Parse(token, metadata);
        return reader.ReadAsync(path.Vault, path.Secret, path.Version, cancellationToken);
    }
}
