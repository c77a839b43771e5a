using ConfigManager.Core.Diagnostics;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool;

/// <summary>The tool's process exit codes (also printed by <c>--help</c> and listed in docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A token could not be resolved, or the input has malformed tokens.</summary>
    public const int ResolutionFailed = 1;

    /// <summary>Bad command line: unknown command or option, missing or invalid value.</summary>
    public const int Usage = 2;

    /// <summary>No plugin executable for a prefix in any searched location.</summary>
    public const int PluginNotFound = 3;

    /// <summary>A plugin was found but failed: would not start, bad handshake, crashed, timed out.</summary>
    public const int PluginFailed = 4;

    /// <summary>A plugin's SHA-256 differs from its lock-file pin or published checksum; or init could not install it.</summary>
    public const int PluginVerificationFailed = 5;

    /// <summary>An input could not be read or an output could not be written.</summary>
    public const int IoFailed = 6;

    /// <summary>A bug in the tool (EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Cancelled by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The text shown at the end of <c>--help</c>.</summary>
    public const string HelpText =
        "Exit codes: 0 ok; 1 resolution failure or malformed token; 2 usage error; 3 plugin not found; "
        + "4 plugin failed (start, handshake, crash, timeout); 5 plugin checksum or lock mismatch, install failed; "
        + "6 input/output file error; 70 internal error; 130 cancelled.";

    /// <summary>The most specific exit code for a failed run's diagnostics (not found beats failed beats unresolved).</summary>
    public static int For(IEnumerable<Diagnostic> diagnostics)
    {
        var codes = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Code).ToList();
        if (codes.Count == 0)
        {
            return Ok;
        }

        if (codes.Contains(ToolErrorCodes.Usage))
        {
            return Usage;
        }

        if (codes.Any(IsPluginNotFound))
        {
            return PluginNotFound;
        }

        if (codes.Any(PluginHostCodes.Verification.Contains) || codes.Any(c => c is ToolErrorCodes.LockMismatch or ToolErrorCodes.ChecksumMismatch
                or ToolErrorCodes.DownloadFailed or ToolErrorCodes.InstallSourceMissing or ToolErrorCodes.NoInstallSource
                or ToolErrorCodes.ChecksumRequired or ToolErrorCodes.NotABinary))
        {
            return PluginVerificationFailed;
        }

        if (codes.Any(IsPluginFailure))
        {
            return PluginFailed;
        }

        if (codes.Any(c => c is ToolErrorCodes.WriteFailed or ToolErrorCodes.InputUnreadable or ToolErrorCodes.NotRegularFile or ToolErrorCodes.InvalidText))
        {
            return IoFailed;
        }

        if (codes.Any(c => c == ToolErrorCodes.Cancelled))
        {
            return Cancelled;
        }

        return ResolutionFailed;
    }

    /// <summary>The host's plugin-not-found codes (CM2001 missing, CM2002 not executable).</summary>
    private static bool IsPluginNotFound(string code) => PluginHostCodes.NotFound.Contains(code);

    /// <summary>
    /// The host's CM2xxx codes for a plugin that misbehaved (as opposed to one that answered with an error for
    /// a token, which is a resolution failure).
    /// </summary>
    private static bool IsPluginFailure(string code)
        => code.StartsWith("CM2", StringComparison.Ordinal) && !PluginHostCodes.TokenError.Contains(code);
}
