using Azure.Core;
using Azure.Identity;
using ConfigManager.Plugins.AzKeyVault;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>
/// configmanager's AZAPPCONF semantics: the key-value's value for the token's key and label. A Key Vault reference
/// is followed to the secret (through AZKVSECRET's reader, same credential). Key lookup (<c>|key</c>) into a JSON
/// value is the host's. Errors name the store, key, label and vault/secret, never a value.
/// </summary>
internal sealed class AppConfigTokenStore(AppConfigClient client, KeyVaultSecretReader vaults, StoreRetryOptions? retry = null) : ITokenStore, IDisposable
{
    public static AppConfigTokenStore FromEnvironment()
    {
        // One DefaultAzureCredential for the store and the vaults it references (AZURE_TOKEN_CREDENTIALS etc. are its own).
        var credential = new Lazy<TokenCredential>(() => new DefaultAzureCredential());
        var settings = AppConfigSettings.FromEnvironment();
        var client = new AppConfigClient(settings, credential, StoreHttp.CreateClient(), TimeProvider.System);
        return new AppConfigTokenStore(client, new KeyVaultSecretReader(SecretClientFactory.FromEnvironment(() => credential.Value)));
    }

    public async Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var path = AppConfigTokenPath.Parse(token, metadata);
        var setting = await StoreCall.RunAsync(attempt => client.GetAsync(path, attempt, cancellationToken), retry, cancellationToken).ConfigureAwait(false);
        if (!setting.IsKeyVaultReference)
        {
            return setting.Value;
        }

        var storeUri = client.StoreUriOf(path);
        var reference = KeyVaultReference.Parse(setting.Value, path, storeUri, vaults.Clients);
        try
        {
            return await vaults.ReadAsync(reference.Vault, reference.Secret, reference.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            throw KeyVaultReference.Failure(ex.Kind, $"{path.Describe()} in store {storeUri} is a Key Vault reference to {reference}, which could not be read: {ex.Description}", ex.Remedy, ex.RetryAfter, ex);
        }
    }

    public void Dispose() => client.Dispose();
}
