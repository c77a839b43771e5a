namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>One key-value as the store returned it (application/vnd.microsoft.appconfig.kv+json).</summary>
internal sealed record AppConfigKeyValue(string Value, string? ContentType, string? Etag)
{
    public const string KeyVaultReferenceContentType = "application/vnd.microsoft.appconfig.keyvaultref+json";

    /// <summary>Whether the value is a Key Vault reference (content type, parameters such as charset ignored).</summary>
    public bool IsKeyVaultReference =>
        ContentType is { } type && type.Split(';')[0].Trim().Equals(KeyVaultReferenceContentType, StringComparison.OrdinalIgnoreCase);
}
