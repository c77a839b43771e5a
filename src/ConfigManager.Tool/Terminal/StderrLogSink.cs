using ConfigManager.Core.Logging;

namespace ConfigManager.Tool.Terminal;

/// <summary>Writes log lines at or above a level to standard error. Always wrapped in a <see cref="RedactingLogSink"/>.</summary>
internal sealed class StderrLogSink(LogLevel minimum, TextWriter error) : ILogSink
{
    private readonly object _gate = new();

    public void Log(LogLevel level, string message)
    {
        if (level < minimum)
        {
            return;
        }

        lock (_gate)
        {
            error.WriteLine($"[{level.ToString().ToUpperInvariant()}] {message}");
        }
    }
}
