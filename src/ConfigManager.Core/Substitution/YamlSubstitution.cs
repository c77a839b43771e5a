using System.Text;
using System.Text.Json;
using ConfigManager.Core.Diagnostics;
using static ConfigManager.Core.Substitution.DocumentSubstitution;

namespace ConfigManager.Core.Substitution;

/// <summary>YAML's part of <see cref="DocumentSubstitution"/>: escapes each value for its <see cref="YamlPositions"/> scalar style.</summary>
internal static class YamlSubstitution
{
    public static List<TextEdit> Edits(
        string text, string file, IReadOnlyList<Replacement> replacements, bool inject, List<Diagnostic> diagnostics)
    {
        var positions = new YamlPositions(text);
        var edits = new List<TextEdit>(replacements.Count);
        for (var i = 0; i < replacements.Count;)
        {
            var (token, value) = replacements[i];
            var kind = positions.At(token.Start);
            var scalarStart = positions.ScalarStart;
            var inFlow = positions.InFlow;
            positions.SkipTo(token.Start, token.Start + token.Length);
            switch (kind)
            {
                case YamlPositions.Kind.DoubleQuoted:
                    {
                        var end = token.Start + token.Length;
                        var whole = scalarStart == token.Start - 1 && end < text.Length && text[end] == '"';
                        edits.Add(inject && whole && TryYamlFlow(value, out var flow)
                            ? new TextEdit(scalarStart, token.Length + 2, flow)
                            : new TextEdit(token.Start, token.Length, ValueEscaping.YamlDoubleQuoted(value)));
                        i++;
                        break;
                    }

                case YamlPositions.Kind.SingleQuoted or YamlPositions.Kind.Plain:
                    {
                        // Tokens sharing one scalar are written together: the scalar may need quoting as a whole.
                        var group = new List<Replacement> { replacements[i++] };
                        var scalarEnd = kind == YamlPositions.Kind.Plain
                            ? PlainScalarEnd(text, token.Start + token.Length, inFlow)
                            : SingleQuotedEnd(text, token.Start + token.Length);
                        while (i < replacements.Count && replacements[i].Token.Start < scalarEnd)
                        {
                            positions.At(replacements[i].Token.Start);
                            positions.SkipTo(replacements[i].Token.Start, replacements[i].Token.Start + replacements[i].Token.Length);
                            group.Add(replacements[i++]);
                        }

                        if (kind == YamlPositions.Kind.Plain)
                        {
                            PlainScalarEdits(text, scalarStart, scalarEnd, group, inject, edits);
                        }
                        else
                        {
                            SingleQuotedEdits(text, file, scalarStart, scalarEnd, group, inject, edits, diagnostics);
                        }

                        break;
                    }

                case YamlPositions.Kind.LiteralBlock:
                    {
                        if (value.Contains('\r', StringComparison.Ordinal) || !ValueEscaping.CanBeYamlSingleQuoted(value.Replace("\n", "", StringComparison.Ordinal)))
                        {
                            diagnostics.Add(Error(OutputErrorCodes.ValueNotRepresentableInYaml, file, token,
                                "its value contains a carriage return or control character, which a literal block scalar (|) cannot hold; use a double-quoted scalar instead."));
                        }
                        else
                        {
                            var lineStart = text.LastIndexOf('\n', Math.Max(0, token.Start - 1)) + 1;
                            var indent = text[lineStart..token.Start];
                            indent = indent[..(indent.Length - indent.TrimStart(' ').Length)];
                            // Continuation lines take the block's indentation and the file's own line ending.
                            var lineEnd = text.IndexOf('\n', token.Start);
                            var newline = lineEnd > 0 && text[lineEnd - 1] == '\r' ? "\r\n" : "\n";
                            edits.Add(new TextEdit(token.Start, token.Length, value.Replace("\n", newline + indent, StringComparison.Ordinal)));
                        }

                        i++;
                        break;
                    }

                case YamlPositions.Kind.FoldedBlock or YamlPositions.Kind.Comment:
                    {
                        if (!ValueEscaping.CanBeYamlSingleQuoted(value))
                        {
                            diagnostics.Add(Error(OutputErrorCodes.ValueNotRepresentableInYaml, file, token,
                                $"its value contains a line break or control character, which a {(kind == YamlPositions.Kind.Comment ? "comment" : "folded block scalar (>)")} cannot hold; use a double-quoted scalar instead."));
                        }
                        else
                        {
                            edits.Add(new TextEdit(token.Start, token.Length, value));
                        }

                        i++;
                        break;
                    }

                default:
                    edits.Add(new TextEdit(token.Start, token.Length, value));
                    i++;
                    break;
            }
        }

        return edits;
    }

    private static void PlainScalarEdits(string text, int start, int end, List<Replacement> group, bool inject, List<TextEdit> edits)
    {
        var first = group[0].Token;
        if (inject && group.Count == 1 && first.Start == start && first.Start + first.Length == end && TryYamlFlow(group[0].Value, out var flow))
        {
            edits.Add(new TextEdit(start, end - start, flow));
            return;
        }

        var composed = Compose(text, start, end, group, static part => part);
        if (ValueEscaping.IsSafeYamlPlain(composed))
        {
            edits.AddRange(group.Select(r => new TextEdit(r.Token.Start, r.Token.Length, r.Value)));
        }
        else
        {
            // The plain scalar would read differently (or not parse): write it double-quoted instead.
            edits.Add(new TextEdit(start, end - start, "\"" + ValueEscaping.YamlDoubleQuoted(composed) + "\""));
        }
    }

    private static void SingleQuotedEdits(
        string text, string file, int open, int close, List<Replacement> group, bool inject,
        List<TextEdit> edits, List<Diagnostic> diagnostics)
    {
        var first = group[0].Token;
        var closed = close < text.Length && text[close] == '\'';
        if (inject && closed && group.Count == 1 && first.Start == open + 1 && first.Start + first.Length == close && TryYamlFlow(group[0].Value, out var flow))
        {
            edits.Add(new TextEdit(open, close + 1 - open, flow));
            return;
        }

        if (group.All(r => ValueEscaping.CanBeYamlSingleQuoted(r.Value)))
        {
            edits.AddRange(group.Select(r => new TextEdit(r.Token.Start, r.Token.Length, ValueEscaping.YamlSingleQuoted(r.Value))));
            return;
        }

        if (!closed || text.AsSpan(open, close - open).IndexOfAny('\n', '\r') >= 0)
        {
            foreach (var r in group)
            {
                diagnostics.Add(Error(OutputErrorCodes.ValueNotRepresentableInYaml, file, r.Token,
                    "its value has a line break or control character, which a single-quoted YAML scalar spanning lines cannot hold; use double quotes around it in the source."));
            }

            return;
        }

        // Single quotes cannot carry the value: rewrite the whole scalar double-quoted.
        var content = Compose(text, open + 1, close, group, static part => part.Replace("''", "'", StringComparison.Ordinal));
        edits.Add(new TextEdit(open, close + 1 - open, "\"" + ValueEscaping.YamlDoubleQuoted(content) + "\""));
    }

    private static string Compose(string text, int start, int end, List<Replacement> group, Func<string, string> sourcePart)
    {
        var builder = new StringBuilder();
        var at = start;
        foreach (var (token, value) in group)
        {
            builder.Append(sourcePart(text[at..token.Start])).Append(value);
            at = token.Start + token.Length;
        }

        return builder.Append(sourcePart(text[at..end])).ToString();
    }

    // A plain scalar ends at a line end, " #", a key's ": ", or in flow context at , ] }; trailing blanks excluded.
    private static int PlainScalarEnd(string text, int from, bool inFlow)
    {
        var p = from;
        while (p < text.Length)
        {
            var c = text[p];
            if (c is '\n' or '\r'
                || (c == '#' && text[p - 1] is ' ' or '\t')
                || (c == ':' && (p + 1 >= text.Length || text[p + 1] is ' ' or '\t' or '\r' or '\n' || (inFlow && text[p + 1] is ',' or ']' or '}')))
                || (inFlow && c is ',' or ']' or '}'))
            {
                break;
            }

            p++;
        }

        while (p > from && text[p - 1] is ' ' or '\t')
        {
            p--;
        }

        return p;
    }

    // Offset of the closing quote of a single-quoted scalar ('' is an escaped quote), or the text length.
    private static int SingleQuotedEnd(string text, int from)
    {
        for (var p = from; p < text.Length; p++)
        {
            if (text[p] == '\'')
            {
                if (p + 1 < text.Length && text[p + 1] == '\'')
                {
                    p++;
                    continue;
                }

                return p;
            }
        }

        return text.Length;
    }

    // A JSON object/array as a one-line YAML flow collection (keys and strings double-quoted YAML-style).
    private static bool TryYamlFlow(string value, out string flow)
    {
        flow = "";
        if (!JsonSubstitution.IsJsonContainer(value))
        {
            return false;
        }

        using var document = JsonDocument.Parse(value);
        var builder = new StringBuilder();
        WriteFlow(document.RootElement, builder);
        flow = builder.ToString();
        return true;
    }

    private static void WriteFlow(JsonElement element, StringBuilder builder)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var firstProperty = true;
                foreach (var property in element.EnumerateObject())
                {
                    builder.Append(firstProperty ? "" : ", ").Append('"').Append(ValueEscaping.YamlDoubleQuoted(property.Name)).Append("\": ");
                    WriteFlow(property.Value, builder);
                    firstProperty = false;
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(firstItem ? "" : ", ");
                    WriteFlow(item, builder);
                    firstItem = false;
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                builder.Append('"').Append(ValueEscaping.YamlDoubleQuoted(element.GetString()!)).Append('"');
                break;
            default:
                builder.Append(element.GetRawText());
                break;
        }
    }
}
