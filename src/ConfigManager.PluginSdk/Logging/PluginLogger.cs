using System.Globalization;
using System.Text.Json;

namespace ConfigManager.PluginSdk.Logging;

/// <summary>
/// Writes hclog JSON lines to the real stderr, which is what a go-plugin host reads and re-logs at the
/// line's level. Thread-safe; one line per call. Never log secret values: the host masks values it
/// knows, but a plugin sees them first.
/// </summary>
public sealed class PluginLogger
{
    private static readonly Stream s_stderr = Console.OpenStandardError();
    private static readonly object s_gate = new();
    private readonly string _module;

    /// <summary>A logger whose lines carry <paramref name="module"/> as hclog's <c>@module</c>.</summary>
    /// <param name="module">The plugin or component name shown by the host.</param>
    public PluginLogger(string module) => _module = module;

    /// <summary>Writes one line at <see cref="PluginLogLevel.Trace"/>.</summary>
    /// <param name="message">The text; never a secret value.</param>
    public void Trace(string message) => Log(PluginLogLevel.Trace, message);

    /// <summary>Writes one line at <see cref="PluginLogLevel.Debug"/>.</summary>
    /// <param name="message">The text; never a secret value.</param>
    public void Debug(string message) => Log(PluginLogLevel.Debug, message);

    /// <summary>Writes one line at <see cref="PluginLogLevel.Info"/>.</summary>
    /// <param name="message">The text; never a secret value.</param>
    public void Info(string message) => Log(PluginLogLevel.Info, message);

    /// <summary>Writes one line at <see cref="PluginLogLevel.Warn"/>.</summary>
    /// <param name="message">The text; never a secret value.</param>
    public void Warn(string message) => Log(PluginLogLevel.Warn, message);

    /// <summary>Writes one line at <see cref="PluginLogLevel.Error"/>.</summary>
    /// <param name="message">The text; never a secret value.</param>
    public void Error(string message) => Log(PluginLogLevel.Error, message);

    /// <summary>Writes one line; <paramref name="fields"/> become extra hclog key/value pairs.</summary>
    public void Log(PluginLogLevel level, string message, params (string Key, string Value)[] fields)
    {
        var line = Format(level, message, _module, DateTimeOffset.UtcNow, fields);
        lock (s_gate)
        {
            s_stderr.Write(line);
            s_stderr.Flush();
        }
    }

    internal static byte[] Format(PluginLogLevel level, string message, string module, DateTimeOffset time, (string Key, string Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("@level", LevelName(level));
            json.WriteString("@message", message);
            json.WriteString("@module", module);
            // hclog's layout has exactly six fractional digits; the host treats anything else as plain text.
            json.WriteString("@timestamp", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            foreach (var (key, value) in fields)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static string LevelName(PluginLogLevel level) => level switch
    {
        PluginLogLevel.Trace => "trace",
        PluginLogLevel.Debug => "debug",
        PluginLogLevel.Info => "info",
        PluginLogLevel.Warn => "warn",
        _ => "error",
    };
}
