namespace ConfigManager.Core.Tokens;

/// <summary>Stable CM1xxx codes for malformed tokens and invalid grammar options.</summary>
public static class GrammarErrorCodes
{
    /// <summary><c>[]</c>: metadata brackets must hold at least one <c>key=value</c>.</summary>
    public const string EmptyMetadata = "CM1001";

    /// <summary>A <c>[</c> with no <c>]</c> before the token ends (whitespace, quote or end of text).</summary>
    public const string UnclosedMetadata = "CM1002";

    /// <summary>Prefix and separator followed by nothing usable as a store path.</summary>
    public const string EmptyStorePath = "CM1003";

    /// <summary>A key separator followed by no key path.</summary>
    public const string EmptyKeyPath = "CM1004";

    /// <summary>A standalone input (CLI <c>-t</c>) that contains no token.</summary>
    public const string NotAToken = "CM1005";

    /// <summary>The token separator option is empty or contains whitespace.</summary>
    public const string InvalidTokenSeparator = "CM1010";

    /// <summary>The key separator option is whitespace or a bracket.</summary>
    public const string InvalidKeySeparator = "CM1011";

    /// <summary>An extra prefix is not upper-case letters and digits starting with a letter.</summary>
    public const string InvalidPrefix = "CM1012";
}
