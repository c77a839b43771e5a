namespace ConfigManager.Core.Diagnostics;

/// <summary>
/// One coded problem found by the engine. Never carries a secret value: only file positions,
/// token names (the token text as written in the source) and plugin paths.
/// </summary>
/// <param name="Code">Stable code: CM1xxx grammar, CM2xxx plugins, CM3xxx resolution, CM4xxx output.</param>
/// <param name="Severity">Error stops the run; warning is reported and the run goes on.</param>
/// <param name="Message">What went wrong and what to do next.</param>
/// <param name="File">Source file, when the problem has a position.</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
/// <param name="TokenName">The token as written (prefix, path, key path, metadata) — a name, never a value.</param>
/// <param name="PluginPath">The plugin executable involved, if any.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    string? File = null,
    int Line = 0,
    int Column = 0,
    string? TokenName = null,
    string? PluginPath = null)
{
    /// <summary>Formats as MSBuild/compiler-style text: <c>file(line,col): error CM1001: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var location = File is null ? "configmanager" : Line > 0 ? $"{File}({Line},{Column})" : File;
        return $"{location}: {severity} {Code}: {Message}";
    }
}
