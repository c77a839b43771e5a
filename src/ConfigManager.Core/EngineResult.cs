using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core;

/// <summary>The outcome of one run. When <see cref="Succeeded"/> is false, write no output at all.</summary>
public sealed record EngineResult(IReadOnlyList<ResolvedDocument> Documents, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
