using System.Diagnostics;

namespace ConfigManager.Tool.Tests.Support;

/// <summary>Environment, stdin and timeout for one run of the installed tool.</summary>
public sealed record ToolRunOptions
{
    public Dictionary<string, string> Environment { get; init; } = [];

    public string? Stdin { get; init; }

    /// <summary>HOME for the run (default: the working directory, so the user's real plugins are never found).</summary>
    public string? Home { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A program and its arguments that run the tool (e.g. <c>strace -f -o FILE</c>); the tool's path and arguments follow.</summary>
    public string[]? Wrapper { get; init; }

    /// <summary>Called once the process has started (e.g. to send it a signal).</summary>
    public Func<Process, Task>? OnStarted { get; init; }
}
