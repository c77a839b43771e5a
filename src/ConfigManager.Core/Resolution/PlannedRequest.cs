using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Resolution;

/// <summary>One value request and every token whose value it supplies.</summary>
public sealed record PlannedRequest(ValueRequest Request, IReadOnlyList<ConfigToken> Tokens);
