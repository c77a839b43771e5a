using System.Net;
using System.Text.Json;

namespace ConfigManager.Plugins.Vault;

/// <summary>One Vault HTTP reply: status, the JSON body (if any) and Vault's <c>errors</c> strings (never secret values).</summary>
internal sealed record VaultReply(HttpStatusCode Status, JsonElement? Body, IReadOnlyList<string> Errors)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>Vault's error strings joined for a message, or the HTTP status when it sent none.</summary>
    public string ErrorText => Errors.Count > 0 ? string.Join("; ", Errors) : $"HTTP {(int)Status}";
}
