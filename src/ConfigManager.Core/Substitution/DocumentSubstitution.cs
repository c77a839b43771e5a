using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Documents;

namespace ConfigManager.Core.Substitution;

/// <summary>
/// Writes resolved values into a text by span: each value is escaped for where its token sits (JSON string,
/// XML text/attribute/CDATA, YAML double/single-quoted/plain/block scalar, plain text) and every character
/// outside the replaced spans stays exactly as it was (BOM, line endings, comments, indentation).
/// A .json output is parsed again (CM4001) whenever a value was written outside a string literal.
/// </summary>
public static class DocumentSubstitution
{
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
            DocumentFormat.Json => JsonSubstitution.Edits(text, replacements, injectStructuredValues, out jsonNeedsCheck),
            DocumentFormat.Xml => XmlSubstitution.Edits(text, file, replacements, diagnostics),
            DocumentFormat.Yaml => YamlSubstitution.Edits(text, file, replacements, injectStructuredValues, diagnostics),
            _ => replacements.Select(r => new TextEdit(r.Token.Start, r.Token.Length, r.Value)).ToList(),
        };
        var output = ApplyEdits(text, edits);
        if (jsonNeedsCheck && diagnostics.Count == errorsBefore)
        {
            JsonSubstitution.Check(output, file, diagnostics);
        }

        return output;
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

    internal static Diagnostic Error(string code, string file, Tokens.ConfigToken token, string problem)
        => new(code, DiagnosticSeverity.Error, $"Token \"{token.Text}\" cannot be written here: {problem}", file, token.Line, token.Column, token.Text);
}
