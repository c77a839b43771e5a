using System.Text;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Output;

namespace ConfigManager.Core.Documents;

/// <summary>
/// The one way a file becomes a <see cref="SourceDocument"/> (string-input, scan and the MSBuild task): the BOM
/// decides the encoding (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE; none means UTF-8), the text is decoded strictly, and
/// the format is decided once from the declared one or the extension. Bytes that are not valid in that encoding
/// (a Latin-1 byte, a binary file) are CM4104, so nothing is written from text that would not round-trip.
/// </summary>
public static class DocumentLoader
{
    /// <summary>The code for bytes that are not valid text in the detected encoding.</summary>
    public const string InvalidTextCode = "CM4104";

    /// <summary>Reads and decodes <paramref name="path"/>; <paramref name="name"/> is how diagnostics and the document name it.</summary>
    /// <exception cref="ConfigManagerException">CM4101 when the file cannot be read; CM4104 when it is not valid text.</exception>
    public static async Task<LoadedDocument> ReadFileAsync(string path, string name, DocumentFormat declared, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigManagerException(FileErrorCodes.InputUnreadable, $"Cannot read input '{name}': {ex.Message}", inner: ex);
        }

        return Load(bytes, name, declared);
    }

    /// <summary>The text of <paramref name="path"/> decoded as <see cref="Load"/> does, or null when it cannot be read or is not text.</summary>
    /// <remarks>For the task's look-ahead readers (stamp, uncopied-file report): the resolve step reports those files with a code.</remarks>
    public static string? TryReadText(string path)
    {
        try
        {
            return Load(File.ReadAllBytes(path), path).Document.Text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ConfigManagerException)
        {
            return null;
        }
    }

    /// <summary>Decodes <paramref name="bytes"/> read from <paramref name="name"/>.</summary>
    /// <exception cref="ConfigManagerException">CM4104 when the bytes are not valid text in the detected encoding.</exception>
    public static LoadedDocument Load(ReadOnlySpan<byte> bytes, string name, DocumentFormat declared = DocumentFormat.Auto)
    {
        var encoding = Detect(bytes, out var bomLength);
        var body = bytes[bomLength..];
        string text;
        try
        {
            text = encoding.GetString(body);
        }
        catch (DecoderFallbackException invalid)
        {
            throw Invalid(name, encoding, body, invalid.Index, invalid.BytesUnknown);
        }

        return new LoadedDocument(new SourceDocument(name, text, DocumentFormatDetection.Detect(name, declared)), encoding);
    }

    /// <summary>The encoding a BOM names (strict: invalid bytes throw), and the BOM's length; no BOM is UTF-8.</summary>
    public static Encoding Detect(ReadOnlySpan<byte> bytes, out int bomLength)
    {
        // UTF-32 LE before UTF-16 LE: FF FE 00 00 starts with the UTF-16 LE BOM.
        (Encoding encoding, bomLength) = bytes switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => ((Encoding)new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true), 4),
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true), 4),
            [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true), 3),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true), 2),
            _ => (new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), 0),
        };
        return encoding;
    }

    /// <summary>The BOM of <paramref name="encoding"/> (if it had one) followed by <paramref name="text"/> in it.</summary>
    public static byte[] Encode(string text, Encoding encoding)
    {
        var preamble = encoding.GetPreamble();
        var bytes = new byte[preamble.Length + encoding.GetByteCount(text)];
        preamble.CopyTo(bytes, 0);
        encoding.GetBytes(text, 0, text.Length, bytes, preamble.Length);
        return bytes;
    }

    private static ConfigManagerException Invalid(string name, Encoding encoding, ReadOnlySpan<byte> body, int index, byte[]? unknown)
    {
        // Line and column of the first bad byte, counted on the valid text before it (UTF-8: newline is 0x0A).
        var offset = Math.Clamp(index, 0, body.Length);
        var before = encoding is UTF8Encoding ? Encoding.UTF8.GetString(body[..offset]) : string.Empty;
        var line = before.Count(c => c == '\n') + 1;
        var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        var where = encoding is UTF8Encoding ? $"({line},{column})" : string.Empty;
        var shown = unknown is { Length: > 0 } ? string.Join(' ', unknown.Take(4).Select(b => $"0x{b:X2}")) : "a byte";
        return new ConfigManagerException(
            InvalidTextCode,
            $"{name}{where}: {shown} at byte {offset} is not valid {Describe(encoding)}, so the file cannot be rewritten without changing it; nothing was written. "
            + "ConfigManager reads UTF-8, or UTF-16/UTF-32 with a byte order mark: convert the file (e.g. iconv -f latin1 -t utf-8), or do not pass a binary file.");
    }

    private static string Describe(Encoding encoding) => encoding switch
    {
        UTF32Encoding => encoding.GetPreamble() is [0, ..] ? "UTF-32 BE" : "UTF-32 LE",
        UnicodeEncoding => encoding.GetPreamble() is [0xFE, ..] ? "UTF-16 BE" : "UTF-16 LE",
        _ => "UTF-8",
    };
}
