using ConfigManager.Core.Logging;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// Holds plugin log lines until the end of the run, then writes them through the mask: a plugin may log a
/// value before the host has received it (and before the mask knows it), so lines cannot be written at once.
/// </summary>
internal sealed class PluginLogBuffer(ILogSink sink, SecretMask mask, int capacity = 10_000)
{
    private readonly object _gate = new();
    private readonly List<(LogLevel Level, string Message)> _lines = [];
    private int _dropped;

    public void Add(string prefix, PluginLogLine line)
    {
        lock (_gate)
        {
            if (_lines.Count >= capacity)
            {
                _dropped++;
                return;
            }

            _lines.Add((line.Level, $"plugin {prefix}: {line.Message}"));
        }
    }

    /// <summary>Writes and forgets the buffered lines, each redacted with the values known now.</summary>
    public void Flush()
    {
        List<(LogLevel Level, string Message)> lines;
        int dropped;
        lock (_gate)
        {
            lines = [.. _lines];
            _lines.Clear();
            dropped = _dropped;
            _dropped = 0;
        }

        foreach (var (level, message) in lines)
        {
            sink.Log(level, mask.Redact(message));
        }

        if (dropped > 0)
        {
            sink.Log(LogLevel.Warn, $"{dropped} plugin log lines were dropped (more than {capacity} in one run).");
        }
    }
}
