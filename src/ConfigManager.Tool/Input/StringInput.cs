using System.Text;
using ConfigManager.Core;
using ConfigManager.Core.Documents;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool.Input;

/// <summary>
/// What <c>string-input -i</c> names, decided as configmanager does: <c>-</c> is standard input, an existing
/// path is a file, anything else is the text itself.
/// </summary>
public sealed record StringInput(StringInputKind Kind, string Name, string Text)
{
    /// <summary>The value that means "read standard input".</summary>
    public const string StdinKeyword = "-";

    /// <summary>How diagnostics name a literal string input.</summary>
    public const string LiteralName = "<string>";

    /// <summary>How diagnostics name standard input.</summary>
    public const string StdinName = "<stdin>";

    /// <summary>Reads the input named by <paramref name="value"/>.</summary>
    /// <exception cref="ConfigManager.Core.Diagnostics.ConfigManagerException">CM4101 when an existing file cannot be read; CM4104 when it is not valid text.</exception>
    public static async Task<StringInput> ReadAsync(string value, TextReader stdin, CancellationToken cancellationToken)
    {
        if (value == StdinKeyword)
        {
            return new StringInput(StringInputKind.Stdin, StdinName, await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }

        if (!File.Exists(value))
        {
            return new StringInput(StringInputKind.Literal, LiteralName, value);
        }

        // One loader for every front end: the BOM picks the encoding, bytes invalid in it are CM4104 (nothing written).
        var fullPath = Path.GetFullPath(value);
        var loaded = await DocumentLoader.ReadFileAsync(fullPath, fullPath, DocumentFormat.Auto, cancellationToken).ConfigureAwait(false);
        return new StringInput(StringInputKind.File, fullPath, loaded.Document.Text) { Encoding = loaded.Encoding };
    }

    /// <summary>How the output is encoded: a file input's own encoding and BOM; UTF-8 without BOM otherwise.</summary>
    public Encoding Encoding { get; init; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The output bytes for <paramref name="text"/>, in this input's encoding.</summary>
    public byte[] Encode(string text) => DocumentLoader.Encode(text, Encoding);

    /// <summary>
    /// The format to substitute in: forced, else by the input file's extension, else by the output file's
    /// (stdin or a literal string written to <c>appsettings.json</c> is JSON), else plain text.
    /// </summary>
    public DocumentFormat FormatFor(DocumentFormat forced, OutputTarget output)
    {
        if (forced != DocumentFormat.Auto)
        {
            return forced;
        }

        var byInput = Kind == StringInputKind.File ? DocumentFormats.FromExtension(Name) : DocumentFormat.Text;
        if (byInput != DocumentFormat.Text || output.IsStdout || Kind == StringInputKind.File)
        {
            return byInput;
        }

        return DocumentFormats.FromExtension(output.FilePath!);
    }

    /// <summary>Whether writing to <paramref name="output"/> replaces this very file (in-place mode).</summary>
    public bool IsSameFileAs(OutputTarget output)
        => Kind == StringInputKind.File && output.FilePath is not null
           && string.Equals(Path.GetFullPath(Name), output.FilePath, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
