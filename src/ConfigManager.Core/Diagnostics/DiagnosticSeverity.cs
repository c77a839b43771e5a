namespace ConfigManager.Core.Diagnostics;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}
