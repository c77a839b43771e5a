using System.CommandLine;
using ConfigManager.Core;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Output;
using ConfigManager.Tool.Output;
using ConfigManager.Tool.Terminal;

namespace ConfigManager.Tool.Commands;

/// <summary><c>retrieve</c> (r, fetch, get): resolve tokens and write <c>export NAME='value'</c> lines.</summary>
internal static class RetrieveCommand
{
    public static Command Create(GlobalOptions global, ToolConsole console)
    {
        var tokens = new Option<string[]>("--token", "-t")
        {
            Description = "Token pointing to a config/secret value, e.g. AWSSECRETS:///app/db|password. Repeat for more",
            Required = true,
            HelpName = "TOKEN",
        };
        var path = new Option<string>("--path", "-p")
        {
            Description = "File to write (mode 0600, replaced atomically), or 'stdout'",
            DefaultValueFactory = _ => "./app.env",
            HelpName = "PATH|stdout",
        };
        var command = new Command("retrieve", "Retrieves the values of the given tokens and writes them as shell 'export NAME=value' lines")
        {
            tokens,
            path,
        };
        command.Aliases.Add("r");
        command.Aliases.Add("fetch");
        command.Aliases.Add("get");

        command.SetAction(async (parse, cancellationToken) =>
        {
            var mask = new SecretMask();
            return await CommandRun.GuardAsync(console, mask, async () =>
            {
                var target = OutputTarget.Parse(parse.GetValue(path)!);
                var options = global.Engine(parse);
                var log = RedactingLogSink.Over(new StderrLogSink(global.LogLevel(parse), console.Error), mask);

                TokenValuesResult result;
                await using (var host = new PluginHost(global.Host(parse), log, mask))
                {
                    result = await TokenEngine.ResolveTokensAsync(parse.GetValue(tokens)!, options, host, log, mask, cancellationToken).ConfigureAwait(false);
                }

                // The host also stops plugins on SIGINT/SIGTERM, so a call may fail as "crashed" before the
                // cancellation reaches it: once cancelled, the run is cancelled, whatever the diagnostics say.
                CommandRun.ThrowIfCancelled(cancellationToken);
                console.Report(result.Diagnostics, mask);
                if (!result.Succeeded)
                {
                    return ExitCodes.For(result.Diagnostics);
                }

                // Names come from the store; a store that can write secrets must not silently redefine PATH or LD_PRELOAD.
                console.Report(ShellSensitiveVariables.Check(result.Values, options.KeySeparator), mask);
                var text = EnvExportLines.Format(result.Values, options.KeySeparator);
                if (target.IsStdout)
                {
                    await console.WriteOutputAsync(text, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await AtomicFile.WriteTextAsync(target.FilePath!, text, AtomicFile.SecretMode, cancellationToken).ConfigureAwait(false);
                    log.Log(LogLevel.Debug, $"wrote {result.Values.Count} token(s) to {target.FilePath}");
                }

                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
