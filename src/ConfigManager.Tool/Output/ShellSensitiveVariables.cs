using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Tool.Output;

/// <summary>
/// Environment variables that change how a shell, the dynamic loader or a language runtime behaves. An env file
/// from <c>retrieve</c> is meant to be <c>source</c>d, and its names come from the store (a JSON secret's keys),
/// so a store that can write secrets could otherwise hijack the shell that sources it: each such name is warned
/// about (CM4106). The line is still written, because configmanager writes it and a deliberate PATH is legitimate.
/// </summary>
public static class ShellSensitiveVariables
{
    /// <summary>The warning's code.</summary>
    public const string Code = "CM4106";

    private static readonly HashSet<string> s_exact = new(StringComparer.Ordinal)
    {
        // POSIX shells and bash: search paths, start-up files, word splitting, prompts and traces that run code.
        "PATH", "ENV", "BASH_ENV", "IFS", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS",
        "CDPATH", "GLOBIGNORE", "FPATH", "ZDOTDIR",
        // Interpreters and runtimes that load code named by a variable.
        "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PERL5LIB", "PERL5OPT", "PERLLIB", "RUBYOPT", "RUBYLIB",
        "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH",
        "DOTNET_STARTUP_HOOKS", "DOTNET_ROOT", "DOTNET_ADDITIONAL_DEPS", "DOTNET_SHARED_STORE",
        "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXEC_PATH", "LESSOPEN",
    };

    // The dynamic loaders (glibc LD_*, macOS DYLD_*), exported bash functions and COMPlus/CORECLR runtime knobs.
    private static readonly string[] s_prefixes = ["LD_", "DYLD_", "BASH_FUNC_", "CORECLR_", "COMPLUS_"];

    /// <summary>The documented list, for docs and help: every exact name and every prefix (as <c>LD_*</c>).</summary>
    public static IEnumerable<string> Described => s_exact.Order(StringComparer.Ordinal).Concat(s_prefixes.Select(p => p + "*"));

    /// <summary>Whether <paramref name="name"/> (as written to the env file) changes how a shell or loader behaves.</summary>
    public static bool IsSensitive(string name)
        => s_exact.Contains(name) || s_prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>One warning per sensitive variable the env file would set, naming the variable and the token (never the value).</summary>
    public static IReadOnlyList<Diagnostic> Check(IEnumerable<(ConfigToken Token, string Value)> values, char keySeparator)
    {
        var warnings = new List<Diagnostic>();
        foreach (var (token, value) in values)
        {
            foreach (var name in EnvExportLines.NamesFor(token, value, keySeparator).Where(IsSensitive).Distinct(StringComparer.Ordinal))
            {
                warnings.Add(new Diagnostic(
                    Code,
                    DiagnosticSeverity.Warning,
                    $"Token \"{token.Text}\" sets {name}, which changes how a shell or program loader behaves when the env file is sourced. "
                    + "Check that the store is trusted and the variable is meant; otherwise rename the key in the store.",
                    File: token.File,
                    Line: token.Line,
                    Column: token.Column,
                    TokenName: token.Text));
            }
        }

        return warnings;
    }
}
