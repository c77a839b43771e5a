using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Documents;

namespace ConfigManager.Core.Tokens;

/// <summary>
/// Finds configmanager tokens in a text in one forward pass. Between tokens it jumps with a vectorised
/// search for the prefixes' first letters, so text without tokens costs little more than a memory scan.
/// </summary>
/// <remarks>
/// Grammar: <c>PREFIX</c> + token separator + store path + optional (key separator + key path) + optional
/// <c>[metadata]</c>. A token ends at whitespace, <c>"</c>, <c>'</c>, <c>@</c>, <c>?</c>, <c>:</c>, <c>/?</c>,
/// the end of the text, where the next token's marker begins, or right after its metadata's <c>]</c>.
/// Inside metadata only whitespace, quotes and the end of the text stop it (so ARNs with <c>:</c> fit).
/// In XML documents a raw <c>&lt;</c> and a CDATA end <c>]]&gt;</c> also end a token, since neither can be content there.
/// A store path that is an AWS ARN (<c>arn:aws:</c>, <c>arn:aws-cn:</c>, <c>arn:aws-us-gov:</c>, ...) keeps its <c>:</c>.
/// </remarks>
public static class TokenScanner
{
    private static readonly System.Buffers.SearchValues<char> s_partitionLetters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz-");

    /// <summary>Scans one text; never throws for any input.</summary>
    /// <param name="text">The document text.</param>
    /// <param name="file">The document path, for diagnostics and the format.</param>
    /// <param name="grammar">The prefixes and separators in use.</param>
    /// <param name="format">Auto: chosen from <paramref name="file"/>'s extension.</param>
    public static ScanResult Scan(string text, string file, TokenGrammar grammar, DocumentFormat format = DocumentFormat.Auto)
    {
        var tokens = new List<ConfigToken>();
        var diagnostics = new List<Diagnostic>();
        Scan(text, file, grammar, tokens, diagnostics, format);
        return new ScanResult(tokens, diagnostics);
    }

    /// <summary>Scans one text, appending tokens and CM1xxx errors (all of them, in text order).</summary>
    public static void Scan(
        string text, string file, TokenGrammar grammar, List<ConfigToken> tokens, List<Diagnostic> diagnostics,
        DocumentFormat format = DocumentFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(grammar);
        var xml = DocumentFormatDetection.Detect(file, format) == DocumentFormat.Xml;
        var span = text.AsSpan();
        var position = new LinePosition();
        var at = 0;
        while (at < span.Length)
        {
            var hit = span[at..].IndexOfAny(grammar.Initials);
            if (hit < 0)
            {
                break;
            }

            var start = at + hit;
            var prefix = grammar.MatchPrefix(span, start);
            if (prefix is null)
            {
                at = start + 1;
                continue;
            }

            at = ReadToken(text, file, grammar, xml, start, prefix, ref position, tokens, diagnostics);
        }
    }

    // Reads the token whose marker starts at `start`; returns where scanning resumes.
    private static int ReadToken(
        string text, string file, TokenGrammar grammar, bool xml, int start, string prefix,
        ref LinePosition position, List<ConfigToken> tokens, List<Diagnostic> diagnostics)
    {
        var span = text.AsSpan();
        var prefixLength = prefix.Length;
        var bodyStart = start + prefixLength + grammar.TokenSeparator.Length;
        var keySeparatorAt = -1;
        var metadataOpen = -1;
        var arnPath = IsArnStart(span[bodyStart..]);
        var p = bodyStart;
        while (p < span.Length)
        {
            var stop = span[p..].IndexOfAny(xml ? grammar.XmlBodyStops : grammar.BodyStops);
            if (stop < 0)
            {
                p = span.Length;
                break;
            }

            p += stop;
            var c = span[p];
            // An ARN's segments are separated by ':'; in its store path (not the key path) they do not end the token.
            if (c == ':' && arnPath && keySeparatorAt < 0)
            {
                p++;
                continue;
            }

            // ';' separates connection-string pairs (Password=ENV://PW;Encrypt=True); no store path holds one.
            if (IsTokenEnd(span, p) || (c == ';' && c != grammar.KeySeparator) || (xml && (c == '<' || span[p..].StartsWith("]]>", StringComparison.Ordinal))))
            {
                break;
            }

            if (c == '[')
            {
                metadataOpen = p;
                break;
            }

            if (c == grammar.KeySeparator && keySeparatorAt < 0)
            {
                keySeparatorAt = p++;
                continue;
            }

            if (p > bodyStart && grammar.MatchPrefixAt(span, p) > 0)
            {
                // Touching tokens: the next marker ends this one.
                break;
            }

            p++;
        }

        var pathEnd = keySeparatorAt >= 0 ? keySeparatorAt : p;
        var keyEnd = p;
        var metadata = string.Empty;
        int end;
        if (metadataOpen >= 0)
        {
            var close = span[(metadataOpen + 1)..].IndexOfAny(xml ? grammar.XmlMetadataStops : grammar.MetadataStops);
            if (close < 0 || span[metadataOpen + 1 + close] != ']')
            {
                var stopAt = close < 0 ? span.Length : metadataOpen + 1 + close;
                Report(GrammarErrorCodes.UnclosedMetadata, text, file, start, stopAt, ref position, diagnostics,
                    "metadata has no closing ']' before the token ends (whitespace, a quote or the end of the text); close it, e.g. [version=2].");
                return stopAt;
            }

            var closeAt = metadataOpen + 1 + close;
            if (closeAt == metadataOpen + 1)
            {
                Report(GrammarErrorCodes.EmptyMetadata, text, file, start, closeAt + 1, ref position, diagnostics,
                    "metadata brackets are empty; put at least one key=value pair inside (e.g. [version=2]) or remove them.");
                return closeAt + 1;
            }

            metadata = text.Substring(metadataOpen + 1, closeAt - metadataOpen - 1);
            end = closeAt + 1;
        }
        else
        {
            end = p;
        }

        if (pathEnd == bodyStart)
        {
            Report(GrammarErrorCodes.EmptyStorePath, text, file, start, Math.Max(end, bodyStart), ref position, diagnostics,
                $"the token has no store path after \"{grammar.TokenSeparator}\"; write the path of the value, e.g. {text.Substring(start, prefixLength)}{grammar.TokenSeparator}/app/db.");
            return Math.Max(end, bodyStart);
        }

        if (keySeparatorAt >= 0 && keyEnd == keySeparatorAt + 1)
        {
            Report(GrammarErrorCodes.EmptyKeyPath, text, file, start, end, ref position, diagnostics,
                $"the key separator '{grammar.KeySeparator}' is not followed by a key path; add one (e.g. |password) or remove the separator.");
            return end;
        }

        var (line, column) = position.Advance(span, start);
        tokens.Add(new ConfigToken(
            Text: text.Substring(start, end - start),
            Prefix: prefix,
            StorePath: text.Substring(bodyStart, pathEnd - bodyStart),
            KeyPath: keySeparatorAt >= 0 ? text.Substring(keySeparatorAt + 1, keyEnd - keySeparatorAt - 1) : string.Empty,
            Metadata: metadata,
            File: file,
            Line: line,
            Column: column,
            Start: start,
            Length: end - start));
        return end;
    }

    /// <summary>An AWS ARN: <c>arn:aws:</c>, or another partition such as <c>arn:aws-cn:</c>, <c>arn:aws-us-gov:</c>.</summary>
    private static bool IsArnStart(ReadOnlySpan<char> body)
    {
        if (!body.StartsWith("arn:aws", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = body["arn:aws".Length..];
        if (rest.Length > 0 && rest[0] == ':')
        {
            return true;
        }

        if (rest.Length < 2 || rest[0] != '-')
        {
            return false;
        }

        var partitionEnd = rest.IndexOf(':');
        return partitionEnd > 1 && rest[1..partitionEnd].IndexOfAnyExcept(s_partitionLetters) < 0;
    }

    private static bool IsTokenEnd(ReadOnlySpan<char> span, int p) => span[p] switch
    {
        ' ' or '\t' or '\r' or '\n' or '\f' or '\v' or '"' or '\'' or '@' or '?' or ':' => true,
        '/' => p + 1 < span.Length && span[p + 1] == '?',
        _ => false,
    };

    private static void Report(
        string code, string text, string file, int start, int stop, ref LinePosition position,
        List<Diagnostic> diagnostics, string problem)
    {
        var (line, column) = position.Advance(text.AsSpan(), start);
        var name = text.Substring(start, Math.Clamp(stop, start, text.Length) - start);
        diagnostics.Add(new Diagnostic(code, DiagnosticSeverity.Error, $"Malformed token \"{name}\": {problem}", file, line, column, name));
    }

    // Turns offsets into 1-based line/column, counting newlines only between consecutive tokens.
    private struct LinePosition
    {
        private int _offset;
        private int _line;
        private int _lineStart;

        public (int Line, int Column) Advance(ReadOnlySpan<char> text, int offset)
        {
            if (_line == 0)
            {
                _line = 1;
            }

            var between = text[_offset..offset];
            var newlines = between.Count('\n');
            if (newlines > 0)
            {
                _line += newlines;
                _lineStart = _offset + between.LastIndexOf('\n') + 1;
            }

            _offset = offset;
            return (_line, offset - _lineStart + 1);
        }
    }
}
