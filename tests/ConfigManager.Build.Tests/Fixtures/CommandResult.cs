namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>A finished command: exit code and everything it printed (stdout and stderr interleaved).</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>For assertion messages: the command and its output.</summary>
    public override string ToString() => $"$ {CommandLine}\n(exit {ExitCode})\n{Output}";
}
