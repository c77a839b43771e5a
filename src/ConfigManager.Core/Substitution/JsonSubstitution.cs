using System.Text.Json;
using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Substitution;

/// <summary>JSON's part of <see cref="DocumentSubstitution"/>: edits by <see cref="JsonPositions"/>, and the re-parse check (CM4001).</summary>
internal static class JsonSubstitution
{
    private static readonly JsonDocumentOptions s_lenientJson = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    // A JSON-escaped value inside a string literal keeps the document's structure, so only a value written
    // outside a literal (or a token ending in a backslash that escaped the closing quote) can make a valid
    // source stop parsing; then, and only then, the output is parsed again.
    public static List<TextEdit> Edits(string text, IReadOnlyList<Replacement> replacements, bool inject, out bool needsCheck)
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

    /// <summary>Whether <paramref name="value"/> is a JSON object or array (what structured injection writes unquoted).</summary>
    public static bool IsJsonContainer(string value)
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


    public static void Check(string output, string file, List<Diagnostic> diagnostics)
    {
        try
        {
            // JsonDocument does not skip a BOM given as a character; the BOM itself is kept in the output.
            var json = output.Length > 0 && output[0] == '\uFEFF' ? output.AsMemory(1) : output.AsMemory();
            using var document = JsonDocument.Parse(json, s_lenientJson);
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
}
