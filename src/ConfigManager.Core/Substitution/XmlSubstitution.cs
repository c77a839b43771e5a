using ConfigManager.Core.Diagnostics;
using static ConfigManager.Core.Substitution.DocumentSubstitution;

namespace ConfigManager.Core.Substitution;

/// <summary>XML's part of <see cref="DocumentSubstitution"/>: escapes each value for its <see cref="XmlPositions"/> place.</summary>
internal static class XmlSubstitution
{
    public static List<TextEdit> Edits(string text, string file, IReadOnlyList<Replacement> replacements, List<Diagnostic> diagnostics)
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
}
