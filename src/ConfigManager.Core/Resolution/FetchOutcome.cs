using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Resolution;

/// <summary>The answer to one planned request: a value, or the coded failure that replaced it.</summary>
public sealed record FetchOutcome(string? Value, ConfigManagerException? Error)
{
    public bool Succeeded => Error is null;
}
