using System.Net;
using System.Text.Json;

namespace ConfigManager.Plugins.Vault;

/// <summary>One Vault HTTP reply: status, the JSON body (if any), Vault's <c>errors</c> strings (never secret values) and the Retry-After it asked for.</summary>
internal sealed record VaultReply(HttpStatusCode Status, JsonElement? Body, IReadOnlyList<string> Errors, TimeSpan? RetryAfter = null)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>Whether Vault says it is sealed (503 "Vault is sealed").</summary>
    public bool IsSealed => Status == HttpStatusCode.ServiceUnavailable && Errors.Any(e => e.Contains("sealed", StringComparison.OrdinalIgnoreCase));

    /// <summary>429 or a 5xx other than sealed: worth another attempt.</summary>
    public bool IsTransient => !IsSealed && ((int)Status == 429 || (int)Status >= 500);

    /// <summary>Vault's error strings joined for a message, or the HTTP status when it sent none.</summary>
    public string ErrorText => Errors.Count > 0 ? string.Join("; ", Errors) : $"HTTP {(int)Status}";
}
