using Azure;
using Azure.Identity;
using ConfigManager.PluginSdk;

namespace ConfigManager.Plugins.AzKeyVault;

/// <summary>
/// configmanager's AZKVSECRET semantics: the secret's value (latest version unless <c>[version=id]</c>).
/// Key lookup (<c>|key</c>) into a JSON value is done by the host. Errors name the vault and secret, never a value.
/// </summary>
internal sealed class KeyVaultSecretTokenStore(SecretClientFactory clients) : ITokenStore
{
    public async Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var path = KeyVaultTokenPath.Parse(token, metadata);
        var vaultUri = clients.VaultUri(path.Vault);
        try
        {
            var response = await clients.For(path.Vault).GetSecretAsync(path.Secret, path.Version, cancellationToken).ConfigureAwait(false);
            return response.Value.Value ?? string.Empty;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new KeyNotFoundException($"secret {path} not found in vault {vaultUri} ({ex.ErrorCode ?? "NotFound"}). Check the secret name and version, and that the vault is the right one.");
        }
        catch (RequestFailedException ex) when (ex.Status == 403 && Mentions(ex, "disabled"))
        {
            throw new InvalidOperationException($"secret {path} in vault {vaultUri} is disabled. Enable it (az keyvault secret set-attributes --enabled true) or point the token at another version.");
        }
        catch (RequestFailedException ex) when (ex.Status == 403)
        {
            throw new UnauthorizedAccessException($"reading secret {path} from vault {vaultUri} was refused (HTTP 403 {ex.ErrorCode}). Grant the identity the 'Key Vault Secrets User' role on the vault (RBAC) or an access policy with secret Get.");
        }
        catch (RequestFailedException ex) when (ex.Status == 401)
        {
            throw new UnauthorizedAccessException($"vault {vaultUri} rejected the credential for secret {path} (HTTP 401 {ex.ErrorCode}). Check AZURE_TENANT_ID matches the vault's tenant and that the identity is still valid.");
        }
        catch (RequestFailedException ex) when (ex.Status is 429 or >= 500)
        {
            throw new TimeoutException($"vault {vaultUri} kept answering HTTP {ex.Status} for secret {path} after {SecretClientFactory.MaxRetries + 1} attempts (honouring its Retry-After). Retry later; if it persists check the vault's throttling limits.");
        }
        catch (RequestFailedException ex) when (ex.Status == 0)
        {
            throw new InvalidOperationException($"vault {vaultUri} could not be reached for secret {path} ({ex.InnerException?.GetType().Name ?? "no response"}: {ex.InnerException?.Message}). Check the vault name, DNS/private endpoint and {SecretClientFactory.EndpointVariable}.");
        }
        catch (RequestFailedException ex)
        {
            throw new InvalidOperationException($"reading secret {path} from vault {vaultUri} failed: HTTP {ex.Status} {ex.ErrorCode}.");
        }
        catch (CredentialUnavailableException ex)
        {
            throw new InvalidOperationException($"no Azure credential for vault {vaultUri} (secret {path}): {ex.Message} Sign in (az login), or set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret, certificate or federated token, or run with a managed identity.");
        }
        catch (AuthenticationFailedException ex)
        {
            throw new InvalidOperationException($"Azure sign-in failed for vault {vaultUri} (secret {path}): {ex.Message} Check the credential's tenant, client id and secret/certificate.");
        }
    }

    private static bool Mentions(RequestFailedException ex, string word) =>
        ex.Message.Contains(word, StringComparison.OrdinalIgnoreCase) || (ex.ErrorCode?.Contains(word, StringComparison.OrdinalIgnoreCase) ?? false);
}
