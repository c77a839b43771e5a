using System.Text.Json;
using ConfigManager.Plugins.AzKeyVault;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>
/// A Key Vault reference stored in App Configuration, <c>{"uri":"https://{vault}.vault.azure.net/secrets/{name}[/{version}]"}</c>,
/// followed to the secret as the official provider does. The vault must be one AZKVSECRET would reach
/// (its DNS suffix, or its endpoint override), so a stored value cannot send the token to another host.
/// </summary>
internal sealed record KeyVaultReference(Uri Uri, string Vault, string Secret, string? Version)
{
    public static KeyVaultReference Parse(string value, AppConfigTokenPath path, Uri storeUri, SecretClientFactory vaults)
    {
        string? text = null;
        try
        {
            using var json = JsonDocument.Parse(value);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("uri", out var uri) && uri.ValueKind == JsonValueKind.String)
            {
                text = uri.GetString();
            }
        }
        catch (JsonException)
        {
            // Worded below; the value itself is never repeated.
        }

        var where = $"{path.Describe()} in store {storeUri}";
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var secretUri))
        {
            throw Failure(StoreFailureKind.InvalidRequest, $"{where} has the Key Vault reference content type but no {{\"uri\":\"https://...\"}}", "Re-create it with az appconfig kv set-keyvault.");
        }

        var segments = secretUri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length is < 2 or > 3 || segments[0] != "secrets")
        {
            throw Failure(StoreFailureKind.InvalidRequest, $"{where} is a Key Vault reference to {secretUri.GetLeftPart(UriPartial.Path)}, which is not a secret URI (https://<vault>.vault.azure.net/secrets/<name>[/<version>])", "Re-create it with az appconfig kv set-keyvault.");
        }

        var vault = vaults.VaultNameOf(secretUri)
            ?? throw Failure(StoreFailureKind.Misconfigured, $"{where} is a Key Vault reference to host {secretUri.Host}, which is not a Key Vault host this plugin sends its token to", $"Set {SecretClientFactory.DnsSuffixVariable} (sovereign clouds) or {SecretClientFactory.EndpointVariable} (private endpoints).");
        return new KeyVaultReference(secretUri, vault, Uri.UnescapeDataString(segments[1]), segments.Length == 3 ? segments[2] : null);
    }

    public override string ToString() => Version is null ? $"secret {Secret} in vault {Vault}" : $"secret {Secret} version {Version} in vault {Vault}";

    public static StoreException Failure(StoreFailureKind kind, string message, string? remedy = null, TimeSpan? retryAfter = null, Exception? inner = null) =>
        new(kind, $"{AppConfigErrorCodes.KeyVaultReference}: {message}", remedy, retryAfter, inner);
}
