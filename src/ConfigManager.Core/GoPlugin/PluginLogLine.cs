using System.Text;
using System.Text.Json;
using ConfigManager.Core.Logging;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// One line of plugin stderr mapped to a log level as go-plugin does: hclog JSON (<c>@level</c>,
/// <c>@message</c>, other keys as key=value), else a <c>[LEVEL]</c> prefix, else Debug.
/// </summary>
public sealed record PluginLogLine(LogLevel Level, string Message)
{
    public static PluginLogLine Parse(string line)
    {
        var trimmed = line.TrimEnd('\r');
        if (trimmed.StartsWith('{') && TryParseJson(trimmed, out var json))
        {
            return json;
        }

        foreach (var (tag, level) in s_tags)
        {
            if (trimmed.StartsWith(tag, StringComparison.Ordinal))
            {
                return new PluginLogLine(level, trimmed[tag.Length..].TrimStart());
            }
        }

        return new PluginLogLine(LogLevel.Debug, trimmed);
    }

    private static readonly (string Tag, LogLevel Level)[] s_tags =
    [
        ("[TRACE]", LogLevel.Trace),
        ("[DEBUG]", LogLevel.Debug),
        ("[INFO]", LogLevel.Info),
        ("[WARN]", LogLevel.Warn),
        ("[ERROR]", LogLevel.Error),
    ];

    private static bool TryParseJson(string line, out PluginLogLine result)
    {
        result = null!;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("@level", out var levelElement)
                || levelElement.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            var level = levelElement.GetString() switch
            {
                "trace" => LogLevel.Trace,
                "debug" => LogLevel.Debug,
                "info" => LogLevel.Info,
                "warn" => LogLevel.Warn,
                "error" => LogLevel.Error,
                _ => LogLevel.Debug,
            };
            var message = new StringBuilder();
            if (root.TryGetProperty("@message", out var text) && text.ValueKind == JsonValueKind.String)
            {
                message.Append(text.GetString());
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is "@level" or "@message" or "@timestamp")
                {
                    continue;
                }

                message.Append(' ').Append(property.Name).Append('=')
                    .Append(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText());
            }

            result = new PluginLogLine(level, message.ToString());
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
