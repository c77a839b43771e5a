using System.Text;
using System.Text.Json;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Tool.Output;

/// <summary>
/// Forms <c>export NAME='value'</c> lines from resolved tokens the way configmanager's <c>retrieve</c> does:
/// the name is the last <c>/</c> segment of the store path (plus key separator and key path), spaces,
/// <c>@</c> and <c>!</c> dropped, <c>-</c> → <c>_</c>, key separator → <c>__</c>, upper-cased; a value that is a
/// JSON object expands to one line per top-level key.
/// </summary>
public static class EnvExportLines
{
    /// <summary>Builds the whole env file text (one line per variable, each ending in <c>\n</c>).</summary>
    public static string Format(IEnumerable<(ConfigToken Token, string Value)> values, char keySeparator)
    {
        var text = new StringBuilder();
        foreach (var (token, value) in values)
        {
            foreach (var line in LinesFor(token, value, keySeparator))
            {
                text.Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The lines for one token: one, or one per key when the value is a JSON object.</summary>
    public static IReadOnlyList<string> LinesFor(ConfigToken token, string value, char keySeparator)
    {
        if (TryReadObject(value, out var members))
        {
            return members.Select(m => Line(VariableName(m.Name, keySeparator), m.Value)).ToList();
        }

        return [Line(VariableName(NameSource(token, keySeparator), keySeparator), QuoteForShell(value))];
    }

    /// <summary>The variable names the lines for one token set, in order.</summary>
    public static IReadOnlyList<string> NamesFor(ConfigToken token, string value, char keySeparator)
        => TryReadObject(value, out var members)
            ? members.Select(m => VariableName(m.Name, keySeparator)).ToList()
            : [VariableName(NameSource(token, keySeparator), keySeparator)];

    /// <summary>The part of a token a variable is named after: its last path segment, key path included.</summary>
    public static string NameSource(ConfigToken token, char keySeparator)
    {
        var named = token.KeyPath.Length > 0 ? token.StorePath + keySeparator + token.KeyPath : token.StorePath;
        var lastSlash = named.LastIndexOf('/');
        return lastSlash < 0 ? named : named[(lastSlash + 1)..];
    }

    /// <summary>
    /// configmanager's normalisation, then any character a POSIX shell rejects in a name becomes <c>_</c>
    /// (configmanager would emit e.g. <c>A.B</c>, which <c>source</c> cannot read).
    /// </summary>
    public static string VariableName(string raw, char keySeparator)
    {
        var name = new StringBuilder(raw.Length + 4);
        foreach (var c in raw)
        {
            if (c == keySeparator)
            {
                name.Append("__");
            }
            else if (c is ' ' or '@' or '!')
            {
                continue;
            }
            else if (c == '-')
            {
                name.Append('_');
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                name.Append(char.ToUpperInvariant(c));
            }
            else
            {
                name.Append('_');
            }
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, '_');
        }

        return name.ToString();
    }

    /// <summary>POSIX single quoting: everything literal, an embedded <c>'</c> becomes <c>'\''</c>.</summary>
    public static string QuoteForShell(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Line(string name, string quotedValue) => $"export {name}={quotedValue}";

    private static string Compact(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool TryReadObject(string value, out List<(string Name, string Value)> members)
    {
        members = [];
        var trimmed = value.AsSpan().TrimStart();
        if (trimmed.Length == 0 || trimmed[0] != '{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                members.Add((property.Name, ShellValue(property.Value)));
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Strings are quoted; numbers and booleans are shell-safe literals (as configmanager prints them);
    // nested objects and arrays are kept as compact JSON text, quoted.
    private static string ShellValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => QuoteForShell(element.GetString()!),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "''",
        _ => QuoteForShell(Compact(element)),
    };
}
