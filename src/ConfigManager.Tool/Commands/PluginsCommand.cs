using System.CommandLine;
using ConfigManager.Core;
using ConfigManager.Core.Install;
using ConfigManager.Core.Logging;
using ConfigManager.Tool.Console;

namespace ConfigManager.Tool.Commands;

/// <summary><c>plugins</c>: for each prefix (found in the inputs, given, or installed) the plugin used, or every path tried.</summary>
internal static class PluginsCommand
{
    public static Command Create(GlobalOptions global, ToolConsole console)
    {
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "Files whose tokens' prefixes to look up",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "FILE",
        };
        var command = new Command("plugins", "Shows where the plugin for each prefix is found (and its lock-file status), or every path tried. Prefixes: those used in --input files, given with --prefix, else every installed one")
        {
            inputs,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var mask = new SecretMask();
            return await CommandRun.GuardAsync(console, mask, async () =>
            {
                var layout = global.Layout(parse);
                var options = global.Engine(parse, layout);
                var prefixes = new List<string>((parse.GetValue(global.Prefix) ?? []).Select(p => p.ToUpperInvariant()));
                var files = parse.GetValue(inputs) ?? [];
                if (files.Length > 0)
                {
                    var scan = TokenEngine.Scan(await ScanCommand.ReadDocumentsAsync(files, cancellationToken).ConfigureAwait(false), options);
                    console.Report(scan.Diagnostics, mask: null);
                    prefixes.AddRange(scan.Tokens.Select(t => t.Prefix));
                }
                else if (prefixes.Count == 0)
                {
                    prefixes.AddRange(layout.InstalledPrefixes());
                }

                var lockFile = await PluginLockFile.LoadAsync(layout.LockFilePath, cancellationToken).ConfigureAwait(false);
                await console.WriteOutputLineAsync($"platform {layout.Platform}; search order: {string.Join(", ", layout.Roots)}; lock file {layout.LockFilePath}{(File.Exists(layout.LockFilePath) ? string.Empty : " (none)")}", cancellationToken).ConfigureAwait(false);

                var exit = ExitCodes.Ok;
                foreach (var prefix in prefixes.Distinct(StringComparer.Ordinal))
                {
                    var lookup = layout.Find(prefix);
                    if (!lookup.Found)
                    {
                        await console.WriteOutputLineAsync($"{prefix}: not found; tried {string.Join(", ", lookup.TriedPaths)}", cancellationToken).ConfigureAwait(false);
                        exit = Math.Max(exit, ExitCodes.PluginNotFound);
                        continue;
                    }

                    var pinned = lockFile.Find(prefix);
                    var status = "not pinned";
                    if (pinned is not null)
                    {
                        var mismatch = await lockFile.VerifyAsync(prefix, lookup.FoundPath!, cancellationToken).ConfigureAwait(false);
                        status = mismatch is null ? $"sha256 {pinned.Sha256} matches lock" : "SHA-256 MISMATCH with lock";
                        if (mismatch is not null)
                        {
                            console.Report(mismatch, mask: null);
                            exit = Math.Max(exit, ExitCodes.PluginVerificationFailed);
                        }
                    }

                    await console.WriteOutputLineAsync($"{prefix}: {lookup.FoundPath} ({status})", cancellationToken).ConfigureAwait(false);
                }

                return exit;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
