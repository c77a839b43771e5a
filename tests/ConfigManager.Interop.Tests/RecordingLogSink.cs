using System.Collections.Concurrent;
using ConfigManager.Core.Logging;

namespace ConfigManager.Interop.Tests;

/// <summary>Keeps every log line so tests can assert levels and search for leaked secrets.</summary>
internal sealed class RecordingLogSink : ILogSink
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public string AllText => string.Join("\n", _lines.Select(l => $"{l.Level}: {l.Message}"));

    public void Log(LogLevel level, string message) => _lines.Enqueue((level, message));
}
