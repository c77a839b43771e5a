using System.Text.Json.Nodes;

namespace ConfigManager.TestSupport.LocalServers.Vault;

/// <summary>One stored version of a stand-in secret, with KV v2's soft-delete and destroy state.</summary>
public sealed record VaultSecretVersion(JsonObject Data, DateTimeOffset? DeletionTime = null, bool Destroyed = false);
