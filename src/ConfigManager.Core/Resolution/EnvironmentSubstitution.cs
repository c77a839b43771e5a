using System.Text;
using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Resolution;

/// <summary>
/// Strict envsubst, run before tokens are scanned: <c>$NAME</c> and <c>${NAME}</c> become the variable's
/// value; <c>${NAME:-default}</c> (unset or empty) and <c>${NAME-default}</c> (unset) fall back to the default;
/// <c>$$</c> is a literal <c>$</c>; any other <c>$</c> stays as written. An unset or empty variable without a
/// default is an error (CM3010), as configmanager's <c>-e</c> mode does.
/// </summary>
public static class EnvironmentSubstitution
{
    /// <summary>Substitutes from the process environment.</summary>
    public static string Apply(string text, string file, List<Diagnostic> diagnostics, Action<string>? onValue = null)
        => Apply(text, file, diagnostics, Environment.GetEnvironmentVariable, onValue);

    /// <summary>Substitutes from <paramref name="lookup"/>; <paramref name="onValue"/> sees every value used (for masking).</summary>
    public static string Apply(
        string text, string file, List<Diagnostic> diagnostics, Func<string, string?> lookup, Action<string>? onValue = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.IndexOf('$');
        if (first < 0)
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var copied = 0;
        for (var at = first; at >= 0 && at < text.Length; at = text.IndexOf('$', at))
        {
            output.Append(text, copied, at - copied);
            var next = at + 1 < text.Length ? text[at + 1] : '\0';
            if (next == '$')
            {
                output.Append('$');
                copied = at += 2;
                continue;
            }

            int nameStart, nameEnd, end;
            string? fallback = null;
            var fallbackWhenEmpty = false;
            if (next == '{')
            {
                nameStart = at + 2;
                nameEnd = NameEnd(text, nameStart);
                var close = nameEnd < text.Length ? text.IndexOf('}', nameEnd) : -1;
                var operatorLength = nameEnd < text.Length && text[nameEnd] == '-' ? 1
                    : nameEnd + 1 < text.Length && text[nameEnd] == ':' && text[nameEnd + 1] == '-' ? 2 : 0;
                if (nameEnd == nameStart || close < 0 || (close != nameEnd && operatorLength == 0))
                {
                    Report(ResolutionErrorCodes.EnvironmentReferenceMalformed, text, file, at, diagnostics,
                        "\"${\" must be followed by a variable name (letters, digits, _), optionally :-default or -default, and \"}\"; write $$ for a literal $.");
                    output.Append('$');
                    copied = at += 1;
                    continue;
                }

                if (operatorLength > 0)
                {
                    fallback = text[(nameEnd + operatorLength)..close];
                    fallbackWhenEmpty = operatorLength == 2;
                }

                end = close + 1;
            }
            else if (IsNameStart(next))
            {
                nameStart = at + 1;
                nameEnd = NameEnd(text, nameStart);
                end = nameEnd;
            }
            else
            {
                output.Append('$');
                copied = at += 1;
                continue;
            }

            var name = text[nameStart..nameEnd];
            var value = lookup(name);
            if (fallback is not null && (value is null || (fallbackWhenEmpty && value.Length == 0)))
            {
                value = fallback;
                output.Append(value);
            }
            else if (string.IsNullOrEmpty(value))
            {
                Report(ResolutionErrorCodes.EnvironmentVariableMissing, text, file, at, diagnostics,
                    $"environment variable {name} is {(value is null ? "not set" : "empty")}; set it, or write $$ for a literal $.");
                output.Append(text, at, end - at);
            }
            else
            {
                onValue?.Invoke(value);
                output.Append(value);
            }

            copied = at = end;
        }

        output.Append(text, copied, text.Length - copied);
        return output.ToString();
    }

    private static bool IsNameStart(char c) => c is '_' or >= 'A' and <= 'Z' or >= 'a' and <= 'z';

    private static int NameEnd(string text, int from)
    {
        if (from >= text.Length || !IsNameStart(text[from]))
        {
            return from;
        }

        var p = from + 1;
        while (p < text.Length && (IsNameStart(text[p]) || char.IsAsciiDigit(text[p])))
        {
            p++;
        }

        return p;
    }

    private static void Report(string code, string text, string file, int at, List<Diagnostic> diagnostics, string problem)
    {
        var before = text.AsSpan(0, at);
        var line = before.Count('\n') + 1;
        var column = at - (before.LastIndexOf('\n') + 1) + 1;
        diagnostics.Add(new Diagnostic(code, DiagnosticSeverity.Error, $"Envsubst: {problem}", file, line, column));
    }
}
