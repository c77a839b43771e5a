using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Core;

/// <summary>Tokens found per document, plus grammar diagnostics.</summary>
public sealed record ScanResult(IReadOnlyList<ConfigToken> Tokens, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
