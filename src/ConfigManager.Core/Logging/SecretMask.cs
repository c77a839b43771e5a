using System.Text.Encodings.Web;
using ConfigManager.Core.Substitution;

namespace ConfigManager.Core.Logging;

/// <summary>
/// Knows every secret value of a run (and its escaped forms) and masks them in any text.
/// Thread-safe; shared by the engine, the plugin host and the front ends.
/// </summary>
/// <remarks>
/// Values shorter than <see cref="MinimumLength"/> characters are not masked: masking "1" or "on" would
/// shred every log line and, by the pattern of the holes, reveal the value anyway. Each line of a
/// multi-line value (a PEM certificate) is registered too, because logs often show one line.
/// </remarks>
public sealed class SecretMask
{
    /// <summary>Shortest value that is masked.</summary>
    public const int MinimumLength = 4;

    /// <summary>What a masked value is replaced with.</summary>
    public const string Mask = "***";

    private readonly object _gate = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);

    // Longest first, so a secret that contains another is masked whole; rebuilt lazily after Adds.
    private volatile string[] _ordered = [];
    private volatile bool _dirty;

    /// <summary>How many distinct strings (values and their escaped forms) are masked.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _secrets.Count;
            }
        }
    }

    /// <summary>Registers a value and the forms it takes once escaped for JSON, XML and YAML.</summary>
    public void Add(string value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < MinimumLength)
        {
            return;
        }

        var forms = new List<string>
        {
            value,
            ValueEscaping.JsonString(value),
            JavaScriptEncoder.Default.Encode(value),
            JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(value),
            ValueEscaping.XmlText(value),
            ValueEscaping.YamlDoubleQuoted(value),
            ValueEscaping.YamlSingleQuoted(value),
        };
        foreach (var line in value.Split('\n'))
        {
            forms.Add(line.TrimEnd('\r'));
        }

        lock (_gate)
        {
            foreach (var form in forms)
            {
                if (form.Length >= MinimumLength && !string.IsNullOrWhiteSpace(form) && _secrets.Add(form))
                {
                    _dirty = true;
                }
            }
        }
    }

    /// <summary>Replaces every registered value (and escaped form) in <paramref name="text"/> with <c>***</c>.</summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        foreach (var secret in Ordered())
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    private string[] Ordered()
    {
        if (_dirty)
        {
            lock (_gate)
            {
                if (_dirty)
                {
                    _ordered = _secrets.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray();
                    _dirty = false;
                }
            }
        }

        return _ordered;
    }
}
