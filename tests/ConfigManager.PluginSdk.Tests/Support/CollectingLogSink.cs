using System.Collections.Concurrent;
using ConfigManager.Core.Logging;

namespace ConfigManager.PluginSdk.Tests.Support;

/// <summary>Keeps every host log line so tests can search them for leaked secrets.</summary>
internal sealed class CollectingLogSink : ILogSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Log(LogLevel level, string message) => _lines.Enqueue($"[{level}] {message}");
}
