namespace ConfigManager.Tool.Tests.Support;

/// <summary>One finished run of the installed tool.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr, int ProcessId)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
