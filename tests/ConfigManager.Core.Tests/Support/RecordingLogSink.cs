using System.Collections.Concurrent;
using ConfigManager.Core.Logging;

namespace ConfigManager.Core.Tests.Support;

internal sealed class RecordingLogSink : ILogSink
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public string AllText => string.Join("\n", Lines.Select(l => l.Message));

    public void Log(LogLevel level, string message) => Lines.Enqueue((level, message));
}
