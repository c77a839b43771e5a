namespace ConfigManager.Core.Tokens;

/// <summary>
/// One token found in a source text, e.g. <c>AWSSECRETS:///app/db|password[version=2]</c>.
/// </summary>
/// <param name="Text">The token exactly as written (this is its "name" in diagnostics).</param>
/// <param name="Prefix">Upper-case prefix, e.g. AWSSECRETS.</param>
/// <param name="StorePath">What the plugin receives as <c>token</c>: no prefix, separator, keys or metadata.</param>
/// <param name="KeyPath">Dotted path after the key separator, or empty.</param>
/// <param name="Metadata">Raw text between <c>[</c> and <c>]</c>, or empty.</param>
/// <param name="File">Source file path.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column (in UTF-16 code units of the line).</param>
/// <param name="Start">Offset of the first character in the text.</param>
/// <param name="Length">Length of the token in the text.</param>
public sealed record ConfigToken(
    string Text,
    string Prefix,
    string StorePath,
    string KeyPath,
    string Metadata,
    string File,
    int Line,
    int Column,
    int Start,
    int Length);
