namespace ConfigManager.Core.Plugins;

/// <summary>
/// The one rule for a prefix's name: ASCII letters and digits, starting with a letter. Tokens write it in upper case
/// (<c>AWSSECRETS://</c>); plugin folders, <c>init --plugin</c> and packaged-plugin items may use either case.
/// </summary>
public static class PluginPrefix
{
    /// <summary>Upper-case ASCII letters and digits, starting with a letter: a prefix as a token writes it.</summary>
    public static bool IsValid(string? prefix)
        => !string.IsNullOrEmpty(prefix)
           && prefix[0] is >= 'A' and <= 'Z'
           && prefix.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9');

    /// <summary>The same rule in either case (folder names, command-line and MSBuild inputs).</summary>
    /// <remarks>ASCII is checked before upper-casing: <see cref="string.ToUpperInvariant()"/> maps some non-ASCII letters (U+0131) onto ASCII ones.</remarks>
    public static bool IsValidInAnyCase(string? prefix)
        => !string.IsNullOrEmpty(prefix) && prefix.All(char.IsAsciiLetterOrDigit) && IsValid(prefix.ToUpperInvariant());
}
