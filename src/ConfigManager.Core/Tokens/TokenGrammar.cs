using System.Buffers;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.Tokens;

/// <summary>
/// The compiled form of the options that decide what a token is: prefixes, token separator, key separator.
/// Build once per run with <see cref="Create"/> and share; it is immutable and thread-safe.
/// </summary>
public sealed class TokenGrammar
{
    // Markers (prefix + token separator) grouped by the prefix's first character, longest first.
    private readonly string[]?[] _markersByInitial = new string[128][];
    private readonly string[]?[] _prefixesByInitial = new string[128][];

    private TokenGrammar(IReadOnlyList<string> prefixes, string tokenSeparator, char keySeparator)
    {
        Prefixes = prefixes;
        TokenSeparator = tokenSeparator;
        KeySeparator = keySeparator;
        foreach (var group in prefixes.GroupBy(p => p[0]))
        {
            _prefixesByInitial[group.Key] = group.OrderByDescending(p => p.Length).ToArray();
            _markersByInitial[group.Key] = _prefixesByInitial[group.Key]!.Select(p => p + tokenSeparator).ToArray();
        }

        var initials = new string(prefixes.Select(p => p[0]).Distinct().ToArray());
        Initials = SearchValues.Create(initials);
        // Everything that can stop the walk through a token body.
        BodyStops = SearchValues.Create(string.Concat(" \t\r\n\f\v\"'@?:;/[", keySeparator.ToString(), initials));
        MetadataStops = SearchValues.Create("] \t\r\n\f\v\"'");
        XmlBodyStops = SearchValues.Create(string.Concat(" \t\r\n\f\v\"'@?:;/[<]", keySeparator.ToString(), initials));
        XmlMetadataStops = SearchValues.Create("] \t\r\n\f\v\"'<");
    }

    public IReadOnlyList<string> Prefixes { get; }

    public string TokenSeparator { get; }

    public char KeySeparator { get; }

    internal SearchValues<char> Initials { get; }

    internal SearchValues<char> BodyStops { get; }

    internal SearchValues<char> MetadataStops { get; }

    // In XML a raw '<' cannot be content and "]]>" closes CDATA, so both end a token (<Password>VAULT://x</Password>).
    internal SearchValues<char> XmlBodyStops { get; }

    internal SearchValues<char> XmlMetadataStops { get; }

    /// <summary>Validates the grammar options and compiles them.</summary>
    /// <exception cref="ConfigManagerException">CM1010–CM1012 for an invalid separator or prefix.</exception>
    public static TokenGrammar Create(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var separator = options.TokenSeparator;
        if (string.IsNullOrEmpty(separator) || separator.Any(char.IsWhiteSpace))
        {
            throw new ConfigManagerException(
                GrammarErrorCodes.InvalidTokenSeparator,
                "The token separator must be a non-empty string without whitespace (default \"://\").");
        }

        var key = options.KeySeparator;
        if (!IsValidKeySeparator(key))
        {
            var shown = char.IsControl(key) || char.IsWhiteSpace(key) ? $"U+{(int)key:X4}" : $"'{key}'";
            throw new ConfigManagerException(
                GrammarErrorCodes.InvalidKeySeparator,
                $"The key separator must be one visible character that does not end a token (not whitespace, [ ] or any of {TokenEndingCharacters}), e.g. '|' (the default) or '#'; got {shown}.");
        }

        var prefixes = new List<string>(KnownPrefixes.All);
        foreach (var extra in options.ExtraPrefixes ?? [])
        {
            if (!IsValidPrefix(extra))
            {
                throw new ConfigManagerException(
                    GrammarErrorCodes.InvalidPrefix,
                    $"The extra prefix \"{extra}\" is not valid: use upper-case letters and digits, starting with a letter (e.g. MYSTORE).");
            }

            if (!prefixes.Contains(extra, StringComparer.Ordinal))
            {
                prefixes.Add(extra);
            }
        }

        return new TokenGrammar(prefixes, separator, key);
    }

    /// <summary>Characters that end a token in some format (besides whitespace): a key separator among them could never be reached.</summary>
    public const string TokenEndingCharacters = "\"'@?:<";

    /// <summary>The key-separator rule both front ends apply: visible, not a bracket, not a character that ends a token.</summary>
    public static bool IsValidKeySeparator(char key)
        => !char.IsWhiteSpace(key) && !char.IsControl(key) && key is not ('[' or ']') && !TokenEndingCharacters.Contains(key, StringComparison.Ordinal);

    /// <summary>Upper-case ASCII letters and digits, starting with a letter (<see cref="PluginPrefix.IsValid"/>).</summary>
    public static bool IsValidPrefix(string? prefix) => PluginPrefix.IsValid(prefix);

    /// <summary>The length of the prefix whose marker (prefix + separator) starts at <paramref name="at"/>, or 0.</summary>
    internal int MatchPrefixAt(ReadOnlySpan<char> text, int at) => MatchPrefix(text, at)?.Length ?? 0;

    /// <summary>The prefix whose marker (prefix + separator) starts at <paramref name="at"/>, or null.</summary>
    internal string? MatchPrefix(ReadOnlySpan<char> text, int at)
    {
        var c = text[at];
        if (c >= 128 || _markersByInitial[c] is not { } markers)
        {
            return null;
        }

        var rest = text[at..];
        for (var i = 0; i < markers.Length; i++)
        {
            if (rest.StartsWith(markers[i], StringComparison.Ordinal))
            {
                return _prefixesByInitial[c]![i];
            }
        }

        return null;
    }
}
