using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Substitution;

/// <summary>A resolved token and its (unescaped) value. Tokens without a replacement stay as written.</summary>
public sealed record Replacement(ConfigToken Token, string Value);
