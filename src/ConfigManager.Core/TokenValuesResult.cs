using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Core;

/// <summary>Values for standalone tokens, in input order. Values are secrets: never log them.</summary>
public sealed record TokenValuesResult(IReadOnlyList<(ConfigToken Token, string Value)> Values, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
