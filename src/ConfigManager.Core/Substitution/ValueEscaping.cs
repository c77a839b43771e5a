using System.Text;

namespace ConfigManager.Core.Substitution;

/// <summary>How a value is written so that a parser of the surrounding format reads back exactly that value.</summary>
public static class ValueEscaping
{
    /// <summary>Content of a JSON string literal (without the quotes).</summary>
    public static string JsonString(string value) => Escape(value, JsonEscapeAt);

    /// <summary>False when the value holds a character XML 1.0 cannot carry, even as a character reference.</summary>
    public static bool IsXmlRepresentable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (!(c is '\t' or '\n' or '\r' || c is >= '\u0020' and <= '\uD7FF' || c is >= '\uE000' and <= '\uFFFD'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>XML text or attribute content: markup characters as entities; tab/CR/LF as references so
    /// neither attribute normalisation nor line-end normalisation changes them.</summary>
    public static string XmlText(string value) => Escape(value, XmlEscapeAt);

    /// <summary>Content of a CDATA section: "]]&gt;" is split across two sections.</summary>
    public static string XmlCData(string value) => value.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal);

    /// <summary>Content of a double-quoted YAML scalar (without the quotes); every character round-trips.</summary>
    public static string YamlDoubleQuoted(string value) => Escape(value, YamlDoubleQuotedEscapeAt);

    /// <summary>True when the value can sit in a single-quoted YAML scalar on one line (no breaks, no control characters).</summary>
    public static bool CanBeYamlSingleQuoted(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\t' && !IsYamlPrintable(value, i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Content of a single-quoted YAML scalar (without the quotes).</summary>
    public static string YamlSingleQuoted(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    /// <summary>True when the value reads back as the same string from a plain (unquoted) YAML scalar,
    /// in block or flow context, under the YAML 1.1 and 1.2 schemas.</summary>
    public static bool IsSafeYamlPlain(string value)
    {
        if (value.Length == 0 || value[0] is ' ' or '\t' || value[^1] is ' ' or '\t' or ':')
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal) || char.IsAsciiDigit(value[0]) || value[0] is '+' or '.' or '~')
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is ',' or '[' or ']' or '{' or '}' or '\t' || !IsYamlPrintable(value, i)
                || (c == ':' && i + 1 < value.Length && value[i + 1] == ' ')
                || (c == '#' && value[i - 1] == ' '))
            {
                return false;
            }
        }

        // Words that a YAML 1.1 or 1.2 reader turns into null or a boolean.
        return value.ToLowerInvariant() is not ("null" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n");
    }

    private static bool IsYamlPrintable(string value, int i)
    {
        var c = value[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i > 0 && char.IsHighSurrogate(value[i - 1]);
        }

        // NEL, LS and PS are line breaks to YAML 1.1 readers and the BOM is not allowed inside a scalar.
        if (c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF')
        {
            return false;
        }

        return c is >= '\u0020' and <= '\u007E' or >= '\u00A0' and <= '\uD7FF' or >= '\uE000' and <= '\uFFFD';
    }

    private static bool IsLoneSurrogate(string value, int i)
    {
        var c = value[i];
        return char.IsHighSurrogate(c) ? !(i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            : char.IsLowSurrogate(c) && !(i > 0 && char.IsHighSurrogate(value[i - 1]));
    }

    private static string? JsonEscapeAt(string value, int i)
    {
        var c = value[i];
        return BackslashEscape(c) ?? c switch
        {
            '\b' => "\\b",
            '\f' => "\\f",
            // Line/paragraph separators break JavaScript consumers; lone surrogates are not valid UTF-8.
            _ when c < 0x20 || c is '\u2028' or '\u2029' || IsLoneSurrogate(value, i) => $"\\u{(int)c:x4}",
            _ => null,
        };
    }

    /// <summary>The escapes JSON strings and YAML double-quoted scalars spell alike.</summary>
    private static string? BackslashEscape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => null,
    };

    private static string? XmlEscapeAt(string value, int i) => value[i] switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&apos;",
        '\t' => "&#x9;",
        '\n' => "&#xA;",
        '\r' => "&#xD;",
        _ => null,
    };

    private static string? YamlDoubleQuotedEscapeAt(string value, int i)
    {
        var c = value[i];
        return BackslashEscape(c) ?? c switch
        {
            '\0' => "\\0",
            _ when !IsYamlPrintable(value, i) => c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}",
            _ => null,
        };
    }

    /// <summary>Copies the value, replacing each character for which escapeAt gives a text; allocates only
    /// when something is replaced, since most values need no escaping.</summary>
    private static string Escape(string value, Func<string, int, string?> escapeAt)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < value.Length; i++)
        {
            var escaped = escapeAt(value, i);
            if (escaped is null)
            {
                builder?.Append(value[i]);
                continue;
            }

            if (builder is null)
            {
                builder = new StringBuilder(value.Length + 16);
                builder.Append(value, 0, i);
            }

            builder.Append(escaped);
        }

        return builder?.ToString() ?? value;
    }
}
