using System.Text;
using System.Text.Json;
using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Substitution;

/// <summary>
/// Writes resolved values into a text by span: each value is escaped for where its token sits (JSON string,
/// XML text/attribute/CDATA, YAML double/single-quoted/plain/block scalar, plain text) and every character
/// outside the replaced spans stays exactly as it was (BOM, line endings, comments, indentation).
/// A .json output is parsed again (CM4001) whenever a value was written outside a string literal.
/// </summary>
public static class DocumentSubstitution
{
    private static readonly JsonDocumentOptions LenientJson = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Substitutes <paramref name="replacements"/> (in text order, from one scan of <paramref name="text"/>).</summary>
    /// <returns>The output text; when a CM4xxx error was added to <paramref name="diagnostics"/>, do not write it.</returns>
    public static string Apply(
        string text,
        string file,
        DocumentFormat format,
        IReadOnlyList<Replacement> replacements,
        bool injectStructuredValues,
        List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(replacements);
        if (replacements.Count == 0)
        {
            return text;
        }

        format = DocumentFormatDetection.Detect(file, format);
        var errorsBefore = diagnostics.Count;
        var jsonNeedsCheck = false;
        var edits = format switch
        {
            DocumentFormat.Json => JsonEdits(text, replacements, injectStructuredValues, out jsonNeedsCheck),
            DocumentFormat.Xml => XmlEdits(text, file, replacements, diagnostics),
            DocumentFormat.Yaml => YamlEdits(text, file, replacements, injectStructuredValues, diagnostics),
            _ => replacements.Select(r => new TextEdit(r.Token.Start, r.Token.Length, r.Value)).ToList(),
        };
        var output = ApplyEdits(text, edits);
        if (jsonNeedsCheck && diagnostics.Count == errorsBefore)
        {
            CheckJson(output, file, diagnostics);
        }

        return output;
    }

    // A JSON-escaped value inside a string literal keeps the document's structure, so only a value written
    // outside a literal (or a token ending in a backslash that escaped the closing quote) can make a valid
    // source stop parsing; then, and only then, the output is parsed again.
    private static List<TextEdit> JsonEdits(string text, IReadOnlyList<Replacement> replacements, bool inject, out bool needsCheck)
    {
        var positions = new JsonPositions(text);
        var edits = new List<TextEdit>(replacements.Count);
        needsCheck = false;
        foreach (var (token, value) in replacements)
        {
            var place = positions.At(token.Start);
            var end = token.Start + token.Length;
            positions.SkipTo(end);
            if (place != JsonPositions.Place.InString || text[end - 1] == '\\')
            {
                needsCheck = true;
            }

            if (place != JsonPositions.Place.InString)
            {
                edits.Add(new TextEdit(token.Start, token.Length, value));
            }
            else if (inject && positions.StringOpen == token.Start - 1 && end < text.Length && text[end] == '"' && IsJsonContainer(value))
            {
                // The token is the whole string literal: the object/array replaces the quotes too.
                edits.Add(new TextEdit(token.Start - 1, token.Length + 2, value.Trim()));
            }
            else
            {
                edits.Add(new TextEdit(token.Start, token.Length, ValueEscaping.JsonString(value)));
            }
        }

        return edits;
    }

    private static List<TextEdit> XmlEdits(string text, string file, IReadOnlyList<Replacement> replacements, List<Diagnostic> diagnostics)
    {
        var positions = new XmlPositions(text);
        var edits = new List<TextEdit>(replacements.Count);
        foreach (var (token, value) in replacements)
        {
            var place = positions.At(token.Start);
            positions.SkipTo(token.Start + token.Length);
            if (!ValueEscaping.IsXmlRepresentable(value))
            {
                diagnostics.Add(Error(OutputErrorCodes.ValueNotRepresentableInXml, file, token,
                    "its value contains a control character that XML 1.0 cannot represent, even as a character reference; store the value encoded (e.g. base64) or use a JSON/YAML file."));
                continue;
            }

            if (place == XmlPositions.Place.Doctype)
            {
                // Entity values take parameter-entity references (%) and entities, each needing its own escape; refused.
                diagnostics.Add(Error(OutputErrorCodes.ValueNotSubstitutableAtXmlPosition, file, token,
                    "it sits inside a <!DOCTYPE> (e.g. an <!ENTITY> value), where values are not substituted; move the token into an element or attribute and reference it there."));
                continue;
            }

            if (place == XmlPositions.Place.ProcessingInstruction)
            {
                // A processing instruction takes no entities: its content is literal up to "?>".
                if (value.Contains("?>", StringComparison.Ordinal))
                {
                    diagnostics.Add(Error(OutputErrorCodes.ValueNotSubstitutableAtXmlPosition, file, token,
                        "it sits inside a processing instruction (<?...?>), and its value contains \"?>\", which would end it; move the token into an element or attribute."));
                    continue;
                }

                edits.Add(new TextEdit(token.Start, token.Length, value));
                continue;
            }

            if (place == XmlPositions.Place.Comment)
            {
                // "--" may not appear inside an XML comment.
                edits.Add(new TextEdit(token.Start, token.Length, value.Replace("--", "- -", StringComparison.Ordinal)));
                continue;
            }

            edits.Add(new TextEdit(token.Start, token.Length, place == XmlPositions.Place.CData ? ValueEscaping.XmlCData(value) : ValueEscaping.XmlText(value)));
        }

        return edits;
    }

    private static List<TextEdit> YamlEdits(
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

    private static bool IsJsonContainer(string value)
    {
        var trimmed = value.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] is not ('{' or '['))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A JSON object/array as a one-line YAML flow collection (keys and strings double-quoted YAML-style).
    private static bool TryYamlFlow(string value, out string flow)
    {
        flow = "";
        if (!IsJsonContainer(value))
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

    private static string ApplyEdits(string text, List<TextEdit> edits)
    {
        if (edits.Count == 0)
        {
            return text;
        }

        var length = text.Length;
        foreach (var edit in edits)
        {
            length += edit.Text.Length - edit.Length;
        }

        // One exact-size allocation and one copy per segment: outputs can be many megabytes.
        return string.Create(length, (text, edits), static (output, state) =>
        {
            var (source, list) = state;
            var at = 0;
            foreach (var edit in list)
            {
                source.AsSpan(at, edit.Start - at).CopyTo(output);
                output = output[(edit.Start - at)..];
                edit.Text.AsSpan().CopyTo(output);
                output = output[edit.Text.Length..];
                at = edit.Start + edit.Length;
            }

            source.AsSpan(at).CopyTo(output);
        });
    }

    private static void CheckJson(string output, string file, List<Diagnostic> diagnostics)
    {
        try
        {
            // JsonDocument does not skip a BOM given as a character; the BOM itself is kept in the output.
            var json = output.Length > 0 && output[0] == '\uFEFF' ? output.AsMemory(1) : output.AsMemory();
            using var document = JsonDocument.Parse(json, LenientJson);
        }
        catch (JsonException e)
        {
            // The parser's own message may quote a character of a value, so only its position is reported.
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            diagnostics.Add(new Diagnostic(
                OutputErrorCodes.JsonInvalidAfterSubstitution,
                DiagnosticSeverity.Error,
                $"{file} is no longer valid JSON after substitution (first problem at output line {line}, byte {column}); a token outside a string literal must resolve to a JSON number, boolean, object or array; otherwise put the token inside quotes.",
                file,
                line,
                column));
        }
    }

    private static Diagnostic Error(string code, string file, Tokens.ConfigToken token, string problem)
        => new(code, DiagnosticSeverity.Error, $"Token \"{token.Text}\" cannot be written here: {problem}", file, token.Line, token.Column, token.Text);
}
