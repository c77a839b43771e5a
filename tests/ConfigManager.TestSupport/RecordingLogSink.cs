using System.Collections.Concurrent;
using ConfigManager.Core.Logging;

namespace ConfigManager.TestSupport;

/// <summary>Keeps every log line (thread-safe) so tests can assert levels and search the log for leaked values.</summary>
public sealed class RecordingLogSink : ILogSink
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    /// <summary>The lines so far, in order, with their levels.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    /// <summary>The lines so far as <c>[Level] message</c>.</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(entry => $"[{entry.Level}] {entry.Message}")];

    /// <summary>Every line, one per row, for <c>Contains</c> checks and assertion messages.</summary>
    public string AllText => string.Join("\n", Lines);

    /// <inheritdoc />
    public void Log(LogLevel level, string message) => _entries.Enqueue((level, message));
}
