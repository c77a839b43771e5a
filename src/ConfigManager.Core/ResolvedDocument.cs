using ConfigManager.Core.Tokens;

namespace ConfigManager.Core;

/// <summary>A document after resolution: the output text and the tokens that were found in it.</summary>
public sealed record ResolvedDocument(SourceDocument Source, string Text, IReadOnlyList<ConfigToken> Tokens);
