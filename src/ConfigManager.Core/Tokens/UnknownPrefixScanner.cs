using System.Text.RegularExpressions;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.Tokens;

/// <summary>
/// Finds strings shaped like a token (<c>UPPER://...</c> or <c>UPPER:///...</c>) whose prefix the grammar does not know:
/// neither built in, nor configured, nor served by an installed or packaged plugin. Each is CM2050 at its file(line,col),
/// a warning or (strict) an error, naming only the prefix: what follows it may be a credential-bearing URL.
/// </summary>
public static partial class UnknownPrefixScanner
{
    // Upper-case URI schemes that appear in real configuration (endpoints, connection strings) and are not token prefixes.
    private static readonly HashSet<string> s_uriSchemes = new(StringComparer.Ordinal)
    {
        "HTTP", "HTTPS", "FTP", "FTPS", "SFTP", "FILE", "WS", "WSS", "SSH", "GIT", "LDAP", "LDAPS", "SMTP", "SMTPS",
        "IMAP", "IMAPS", "TCP", "UDP", "AMQP", "AMQPS", "MQTT", "MQTTS", "REDIS", "REDISS", "MONGODB", "POSTGRES",
        "POSTGRESQL", "MYSQL", "JDBC", "S3", "GS", "HDFS", "NATS", "KAFKA", "GRPC", "GRPCS", "URN",
    };

    /// <summary>Appends one CM2050 per unknown token-shaped string in <paramref name="text"/>.</summary>
    public static void Scan(string text, string file, TokenGrammar grammar, bool strict, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var line = 1;
        var lineStart = 0;
        var counted = 0;
        foreach (Match match in TokenShape().Matches(text))
        {
            var prefix = match.Groups[1].Value;
            if (s_uriSchemes.Contains(prefix) || grammar.Prefixes.Contains(prefix, StringComparer.Ordinal))
            {
                continue;
            }

            for (; counted < match.Index; counted++)
            {
                if (text[counted] == '\n')
                {
                    line++;
                    lineStart = counted + 1;
                }
            }

            var lower = prefix.ToLowerInvariant();
            diagnostics.Add(new Diagnostic(
                PluginErrorCodes.UnknownPrefix,
                strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                $"\"{prefix}://...\" looks like a token, but no plugin serves prefix {prefix} and it is not a known prefix, so it is left as written. "
                + $"Install the plugin with `dotnet configmanager init --plugin {lower}` or reference its package with PrivateAssets=\"all\"; "
                + "if it is not a token, ignore this (or list the prefix as an extra prefix to resolve it).",
                file,
                line,
                match.Index - lineStart + 1,
                TokenName: prefix + "://"));
        }
    }

    // An upper-case word (at least two characters, not glued to a preceding word) directly followed by "://".
    [GeneratedRegex(@"(?<![A-Za-z0-9_\-.])([A-Z][A-Z0-9]+)://", RegexOptions.CultureInvariant)]
    private static partial Regex TokenShape();
}
