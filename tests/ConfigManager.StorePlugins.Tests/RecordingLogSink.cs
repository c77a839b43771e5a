using System.Collections.Concurrent;
using ConfigManager.Core.Logging;

namespace ConfigManager.StorePlugins.Tests;

/// <summary>Keeps every host log line so tests can search them for leaked secrets and tokens.</summary>
internal sealed class RecordingLogSink : ILogSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Log(LogLevel level, string message) => _lines.Enqueue($"[{level}] {message}");
}
