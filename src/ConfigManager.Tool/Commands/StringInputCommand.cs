using System.CommandLine;
using ConfigManager.Core;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Output;
using ConfigManager.Tool.Input;
using ConfigManager.Tool.Output;
using ConfigManager.Tool.Terminal;

namespace ConfigManager.Tool.Commands;

/// <summary><c>string-input</c> (fromstr, getfromstr): the input with every token replaced, escaped for its format.</summary>
internal static class StringInputCommand
{
    public static Command Create(GlobalOptions global, ToolConsole console)
    {
        var input = new Option<string>("--input", "-i")
        {
            Description = "A file to read, '-' for stdin, or else the text itself (e.g. -i \"$(cat file)\")",
            Required = true,
            HelpName = "FILE|STRING|-",
        };
        var path = new Option<string>("--path", "-p")
        {
            Description = "File to write (mode 0600, replaced atomically; may be the input file itself), or 'stdout'",
            DefaultValueFactory = _ => "./app.env",
            HelpName = "PATH|stdout",
        };
        var format = new Option<string>("--format")
        {
            Description = "How values are escaped: auto (by the input's, else the output's, file extension), json, xml, yaml, text",
            DefaultValueFactory = _ => "auto",
            HelpName = "FORMAT",
        };
        format.AcceptOnlyFromAmong([.. DocumentFormats.Names, "yml", "txt"]);

        var command = new Command("string-input", "Replaces every token in a file, stdin or string and writes the result")
        {
            input,
            path,
            format,
        };
        command.Aliases.Add("fromstr");
        command.Aliases.Add("getfromstr");

        command.SetAction(async (parse, cancellationToken) =>
        {
            var mask = new SecretMask();
            return await CommandRun.GuardAsync(console, mask, async () =>
            {
                var target = OutputTarget.Parse(parse.GetValue(path)!);
                DocumentFormats.TryParse(parse.GetValue(format)!, out var forced);
                var source = await StringInput.ReadAsync(parse.GetValue(input)!, console.Input, cancellationToken).ConfigureAwait(false);
                var document = new SourceDocument(source.Name, source.Text, source.FormatFor(forced, target));

                var options = global.Engine(parse);
                var log = RedactingLogSink.Over(new StderrLogSink(global.LogLevel(parse), console.Error), mask);
                log.Log(LogLevel.Debug, $"input {source.Name} ({source.Kind}), format {document.Format}, output {(target.IsStdout ? "stdout" : target.FilePath)}{(source.IsSameFileAs(target) ? " (in place)" : string.Empty)}");

                EngineResult result;
                await using (var host = new PluginHost(global.Host(parse), log, mask))
                {
                    result = await TokenEngine.ResolveAsync([document], options, host, log, mask, cancellationToken).ConfigureAwait(false);
                }

                // The host also stops plugins on SIGINT/SIGTERM, so a call may fail as "crashed" before the
                // cancellation reaches it: once cancelled, the run is cancelled, whatever the diagnostics say.
                CommandRun.ThrowIfCancelled(cancellationToken);
                console.Report(result.Diagnostics, mask);
                if (!result.Succeeded)
                {
                    return ExitCodes.For(result.Diagnostics);
                }

                // Written in the input's own encoding and BOM, so only the token spans differ.
                var bytes = source.Encode(result.Documents[0].Text);
                if (target.IsStdout)
                {
                    await console.WriteOutputAsync(bytes, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // The input was read whole before this point, so replacing it in place is safe.
                    await AtomicFile.WriteAsync(target.FilePath!, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), AtomicFile.SecretMode, cancellationToken).ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
