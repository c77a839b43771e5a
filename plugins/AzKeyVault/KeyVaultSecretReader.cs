using Azure;
using Azure.Identity;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AzKeyVault;

/// <summary>
/// Reads one Key Vault secret through <see cref="StoreCall"/> (the SDK's single retry policy; Azure.Core's own is
/// off, see <see cref="SecretClientFactory"/>), mapping every failure to a coded <see cref="StoreException"/> that
/// names the vault and the secret, never a value. Shared with AZAPPCONF, which follows Key Vault references with it.
/// </summary>
internal sealed class KeyVaultSecretReader(SecretClientFactory clients, StoreRetryOptions? retry = null)
{
    public SecretClientFactory Clients => clients;

    /// <summary>The secret's value (latest version when <paramref name="version"/> is null).</summary>
    public Task<string> ReadAsync(string vault, string secret, string? version, CancellationToken cancellationToken)
    {
        var what = version is null ? $"{vault}/{secret}" : $"{vault}/{secret} version {version}";
        return StoreCall.RunAsync(attempt => ReadOnceAsync(vault, secret, version, what, attempt, cancellationToken), retry, cancellationToken);
    }

    private async Task<string> ReadOnceAsync(string vault, string secret, string? version, string what, CancellationToken attempt, CancellationToken caller)
    {
        var vaultUri = clients.VaultUri(vault);
        try
        {
            var response = await clients.For(vault).GetSecretAsync(secret, version, attempt).ConfigureAwait(false);
            return response.Value.Value ?? string.Empty;
        }
        catch (RequestFailedException ex)
        {
            throw Failure(ex, what, vaultUri);
        }
        catch (CredentialUnavailableException ex)
        {
            throw new StoreException(StoreFailureKind.Misconfigured,
                $"{KeyVaultErrorCodes.NoCredential}: no Azure credential for vault {vaultUri} (secret {what}): {ex.Message.TrimEnd('.')}",
                "Sign in (az login), or set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret, certificate or federated token, or run with a managed identity.");
        }
        catch (AuthenticationFailedException ex)
        {
            throw new StoreException(StoreFailureKind.AccessDenied,
                $"{KeyVaultErrorCodes.NoCredential}: Azure sign-in failed for vault {vaultUri} (secret {what}): {ex.Message.TrimEnd('.')}",
                "Check the credential's tenant, client id and secret/certificate.");
        }
        catch (OperationCanceledException ex) when (!caller.IsCancellationRequested)
        {
            throw new StoreException(StoreFailureKind.Timeout,
                $"{KeyVaultErrorCodes.Unavailable}: vault {vaultUri} did not answer for secret {what} in time",
                "Check that the vault is reachable from this machine (proxy, firewall, private endpoint).", innerException: ex);
        }
    }

    private static StoreException Failure(RequestFailedException ex, string what, Uri vaultUri)
    {
        var retryAfter = RetryAfter(ex.GetRawResponse());
        return ex.Status switch
        {
            404 => new StoreException(StoreFailureKind.NotFound,
                $"{KeyVaultErrorCodes.NotFound}: secret {what} not found in vault {vaultUri} ({ex.ErrorCode ?? "NotFound"})",
                "Check the secret name and version, and that the vault is the right one."),
            403 when Mentions(ex, "disabled") => new StoreException(StoreFailureKind.AccessDenied,
                $"{KeyVaultErrorCodes.Disabled}: secret {what} in vault {vaultUri} is disabled",
                "Enable it (az keyvault secret set-attributes --enabled true) or point the token at another version."),
            403 => new StoreException(StoreFailureKind.AccessDenied,
                $"{KeyVaultErrorCodes.Forbidden}: reading secret {what} from vault {vaultUri} was refused (HTTP 403 {ex.ErrorCode})",
                "Grant the identity the 'Key Vault Secrets User' role on the vault (RBAC) or an access policy with secret Get."),
            401 => new StoreException(StoreFailureKind.AccessDenied,
                $"{KeyVaultErrorCodes.Unauthorized}: vault {vaultUri} rejected the credential for secret {what} (HTTP 401 {ex.ErrorCode})",
                "Check that AZURE_TENANT_ID matches the vault's tenant and that the identity is still valid."),
            429 or >= 500 => new StoreException(ex.Status == 429 ? StoreFailureKind.Throttled : StoreFailureKind.Unavailable,
                $"{KeyVaultErrorCodes.Unavailable}: vault {vaultUri} answered HTTP {ex.Status} for secret {what}",
                "Retry later; if it persists check the vault's throttling limits and service health.", retryAfter),
            0 when ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => new StoreException(StoreFailureKind.Misconfigured,
                $"{KeyVaultErrorCodes.Unreachable}: vault host {vaultUri.Host} does not resolve (secret {what})",
                $"Check the vault name, the DNS/private endpoint, and {SecretClientFactory.EndpointVariable}/{SecretClientFactory.DnsSuffixVariable}."),
            0 => new StoreException(StoreFailureKind.Unavailable,
                $"{KeyVaultErrorCodes.Unreachable}: vault {vaultUri} could not be reached for secret {what} ({ex.InnerException?.GetType().Name ?? "no response"}: {ex.InnerException?.Message})",
                $"Check the vault name, DNS/private endpoint and {SecretClientFactory.EndpointVariable}."),
            _ => new StoreException(StoreFailureKind.InvalidRequest,
                $"{KeyVaultErrorCodes.Unavailable}: reading secret {what} from vault {vaultUri} failed: HTTP {ex.Status} {ex.ErrorCode}"),
        };
    }

    // Azure.Core's Response is not an HttpResponseMessage: copy its headers so StoreHttp parses the server's delay one way.
    private static TimeSpan? RetryAfter(Response? response)
    {
        if (response is null)
        {
            return null;
        }

        using var probe = new HttpResponseMessage();
        foreach (var header in response.Headers)
        {
            probe.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        return StoreHttp.RetryAfter(probe);
    }

    private static bool Mentions(RequestFailedException ex, string word) =>
        ex.Message.Contains(word, StringComparison.OrdinalIgnoreCase) || (ex.ErrorCode?.Contains(word, StringComparison.OrdinalIgnoreCase) ?? false);
}
