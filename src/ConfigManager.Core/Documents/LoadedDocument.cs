using System.Text;

namespace ConfigManager.Core.Documents;

/// <summary>A document read by <see cref="DocumentLoader"/>: its text (BOM removed) and format, and the encoding to write it back in.</summary>
/// <param name="Document">The path, the decoded text and the format decided once.</param>
/// <param name="Encoding">The detected encoding; its preamble is the BOM the file had (empty when it had none).</param>
public sealed record LoadedDocument(SourceDocument Document, Encoding Encoding)
{
    /// <summary>Encodes <paramref name="text"/> as the source was encoded: the same BOM (or none), the same encoding.</summary>
    public byte[] Encode(string text) => DocumentLoader.Encode(text, Encoding);
}
