using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.Vault;

/// <summary>
/// configmanager's VAULT semantics: the KV secret's data as one JSON object (keys sorted, like Go's json.Marshal of a map);
/// key lookup (<c>|password</c>) is the host's job. KV v2 reads <c>{mount}/data/{path}[?version=N]</c>, KV v1 reads
/// <c>{mount}/{path}</c>; the version comes from VAULT_KV_VERSION or, per mount, from Vault's
/// <c>sys/internal/ui/mounts</c> (as the vault CLI does), KV v2 when Vault does not say. Each read runs under the SDK's
/// StoreCall: 429 (with Vault's Retry-After), 5xx, refused connections and timeouts are retried with backoff, a bounded
/// number of times; a sealed Vault is not (it needs an operator), nor are 403/404.
/// </summary>
internal sealed class VaultKvTokenStore(VaultHttpApi api, StoreRetryOptions retry) : ITokenStore
{
    private readonly ConcurrentDictionary<string, Lazy<Task<int>>> _mountVersions = new(StringComparer.Ordinal);

    public async Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var path = VaultTokenPath.Parse(token);
        var options = VaultMetadata.Parse(metadata, path);
        return await StoreCall.RunAsync(attempt => ReadAsync(path, options, attempt), retry, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ReadAsync(VaultTokenPath path, VaultMetadata options, CancellationToken cancellationToken)
    {
        var kvVersion = api.Settings.KvVersion ?? await MountVersionAsync(path.Mount, options.IamRole, cancellationToken).ConfigureAwait(false);
        if (kvVersion == 1 && options.Version is not null)
        {
            throw new VaultException(VaultErrorCodes.BadToken, $"VAULT token '{path}': [version={options.Version}] needs a KV v2 mount, and {path.Mount} is KV v1 (drop the version, or set VAULT_KV_VERSION=2 if the mount is v2)");
        }

        var apiPath = kvVersion == 2
            ? $"{Escape(path.Mount)}/data/{Escape(path.Path)}" + (options.Version is { } v ? $"?version={v}" : string.Empty)
            : $"{Escape(path.Mount)}/{Escape(path.Path)}";
        var reply = await api.GetAsync(apiPath, cancellationToken, options.IamRole).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            throw Failure(path, options, kvVersion, apiPath, reply);
        }

        var data = reply.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("data", out var outer) ? outer : default;
        if (kvVersion == 2)
        {
            data = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("data", out var inner) ? inner : default;
        }

        if (data.ValueKind == JsonValueKind.Null && kvVersion == 2)
        {
            throw new VaultException(VaultErrorCodes.NotFound, $"VAULT token '{path}': {VersionText(options)} has no data (deleted or destroyed): undelete it (vault kv undelete) or ask for another [version=N]");
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new VaultException(VaultErrorCodes.BadReply, $"VAULT token '{path}': GET /v1/{apiPath} returned no KV data object (is {path.Mount} a KV v{kvVersion} mount? set VAULT_KV_VERSION to its version)");
        }

        return SortedJson(data);
    }

    /// <summary>The mount's KV version, asked once per mount and run; a failed ask is forgotten so the next attempt asks again.</summary>
    private async Task<int> MountVersionAsync(string mount, string? iamRole, CancellationToken cancellationToken)
    {
        var ask = _mountVersions.GetOrAdd(mount, key => new Lazy<Task<int>>(() => AskMountVersionAsync(key, iamRole)));
        try
        {
            return await ask.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (ask.Value.IsFaulted || ask.Value.IsCanceled)
        {
            _mountVersions.TryRemove(KeyValuePair.Create(mount, ask));
            throw;
        }
    }

    private async Task<int> AskMountVersionAsync(string mount, string? iamRole)
    {
        // Shared by every token of the mount, so not bound to one call's cancellation: its own attempt timeout instead.
        using var timeout = new CancellationTokenSource(retry.AttemptTimeout);
        var apiPath = $"sys/internal/ui/mounts/{Escape(mount)}";
        var reply = await api.GetAsync(apiPath, timeout.Token, iamRole).ConfigureAwait(false);
        if (reply.IsSealed || reply.IsTransient)
        {
            throw Unavailable($"VAULT mount '{mount}'", $"GET {api.Address}/v1/{apiPath}", reply);
        }

        if (reply.IsSuccess && reply.Body is { ValueKind: JsonValueKind.Object } body
            && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String)
        {
            return version.GetString() == "2" ? 2 : 1;
        }

        // Older Vaults and tokens without access to the endpoint: configmanager always reads KV v2.
        return reply.IsSuccess && reply.Body is { ValueKind: JsonValueKind.Object } known && known.TryGetProperty("data", out var mountData)
            && mountData.TryGetProperty("type", out var type) && type.GetString() == "kv" ? 1 : 2;
    }

    private Exception Failure(VaultTokenPath path, VaultMetadata options, int kvVersion, string apiPath, VaultReply reply)
    {
        var where = $"GET {api.Address}/v1/{apiPath}";
        var policyPath = kvVersion == 2 ? $"{path.Mount}/data/{path.Path}" : $"{path.Mount}/{path.Path}";
        switch (reply.Status)
        {
            case HttpStatusCode.Forbidden:
                return new StoreException(StoreFailureKind.AccessDenied,
                    $"{VaultErrorCodes.PermissionDenied}: VAULT token '{path}': Vault denied the read ({where}: {reply.ErrorText})",
                    $"Give the token ({api.Settings.TokenSource ?? api.Login?.Name + " login"}) a policy with path \"{policyPath}\" {{ capabilities = [\"read\"] }}{api.NamespaceHint()}");
            case HttpStatusCode.NotFound:
                if (kvVersion == 2 && DeletedVersion(reply) is { } deleted)
                {
                    return new StoreException(StoreFailureKind.NotFound, $"{VaultErrorCodes.NotFound}: VAULT token '{path}': {VersionText(options)} is {deleted} ({where}): undelete it (vault kv undelete -versions=N) or ask for another [version=N]");
                }

                return new StoreException(StoreFailureKind.NotFound,
                    $"{VaultErrorCodes.NotFound}: VAULT token '{path}': no secret {(options.Version is null ? string.Empty : VersionText(options) + " ")}at {where}: check the mount ({path.Mount}), the path and the version{api.NamespaceHint()}");
            case HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError:
                return Unavailable($"VAULT token '{path}'", where, reply);
            default:
                return new VaultException(VaultErrorCodes.BadReply, $"VAULT token '{path}': Vault refused the read ({where}: {reply.ErrorText})");
        }
    }

    /// <summary>
    /// Sealed: not retried (unsealing needs an operator; retrying for the whole budget only delays the error). 429 with
    /// Vault's Retry-After and other 5xx: transient, retried by StoreCall.
    /// </summary>
    private StoreException Unavailable(string subject, string where, VaultReply reply) =>
        reply.IsSealed
            ? new StoreException(StoreFailureKind.Misconfigured, $"{VaultErrorCodes.Unavailable}: {subject}: Vault at {api.Address} is sealed: unseal it (vault operator unseal) and run again")
            : reply.Status == HttpStatusCode.TooManyRequests
                ? new StoreException(StoreFailureKind.Throttled, $"{VaultErrorCodes.Unavailable}: {subject}: Vault throttled the read ({where}: {reply.ErrorText})", "Retry later or raise the rate-limit quota", reply.RetryAfter)
                : new StoreException(StoreFailureKind.Unavailable, $"{VaultErrorCodes.Unavailable}: {subject}: Vault is unavailable ({where}: {reply.ErrorText})", "Retry later", reply.RetryAfter);

    /// <summary>"deleted at T" / "destroyed" when a KV v2 404 carries the version's metadata, else null.</summary>
    private static string? DeletedVersion(VaultReply reply)
    {
        if (reply.Body is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (metadata.TryGetProperty("destroyed", out var destroyed) && destroyed.ValueKind == JsonValueKind.True)
        {
            return "destroyed";
        }

        return metadata.TryGetProperty("deletion_time", out var time) && time.GetString() is { Length: > 0 } when ? $"deleted (at {when})" : null;
    }

    private static string VersionText(VaultMetadata options) => options.Version is { } v ? $"version {v}" : "the current version";

    private static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string SortedJson(JsonElement data)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var property in data.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                property.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
