using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Tool.Output;
using ConfigManager.Tool.Terminal;

namespace ConfigManager.Tool.Commands;

/// <summary>Runs a command body and turns its failures into coded diagnostics on stderr and an exit code.</summary>
internal static class CommandRun
{
    /// <summary>
    /// Throws when the run was cancelled: by the token, or by a terminating signal whose plugin kill (the host's
    /// reaper) may have failed the calls before the token was cancelled (a call then reads "stopped ... SIGTERM").
    /// </summary>
    public static void ThrowIfCancelled(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (ProcessTermination.Requested)
        {
            throw new OperationCanceledException($"this process received {ProcessTermination.Signal}");
        }
    }

    public static async Task<int> GuardAsync(ToolConsole console, SecretMask? mask, Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || ProcessTermination.Requested)
        {
            console.Report(new Diagnostic(ToolErrorCodes.Cancelled, DiagnosticSeverity.Error, "Cancelled; plugins were shut down and no output was written."), mask);
            return ExitCodes.Cancelled;
        }
        catch (ConfigManagerException ex)
        {
            var diagnostic = new Diagnostic(ex.Code, DiagnosticSeverity.Error, ex.Message, PluginPath: ex.PluginPath);
            console.Report(diagnostic, mask);
            return ExitCodes.For([diagnostic]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug, not a user error: say so plainly (masked, no stack trace) and exit with a code of its own.
            console.Report(new Diagnostic(ToolErrorCodes.Internal, DiagnosticSeverity.Error, $"Internal error ({ex.GetType().Name}): {ex.Message} Please report this with the command line used (not the secrets)."), mask);
            return ExitCodes.InternalError;
        }
    }
}
