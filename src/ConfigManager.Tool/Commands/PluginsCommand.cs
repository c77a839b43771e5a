using System.CommandLine;
using ConfigManager.Core;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Plugins;
using ConfigManager.Tool.Terminal;

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
            return await CommandRun.GuardAsync(console, mask: null, async () =>
            {
                var options = global.Engine(parse);
                // Nothing is launched: the host only makes its pre-launch checks, so no TLS material is prepared.
                await using var host = new PluginHost(global.Host(parse) with { AutoMtls = false }, new StderrLogSink(global.LogLevel(parse), console.Error), new SecretMask());
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
                    prefixes.AddRange(host.Locator.InstalledPrefixes());
                }

                var lockFile = host.LockFile;
                await console.WriteOutputLineAsync(
                    $"platform {GoPlatform.Os}-{GoPlatform.Arch}; search order: {string.Join(", ", host.Locator.SearchRoots)}; lock file: {lockFile?.Path ?? "none"}",
                    cancellationToken).ConfigureAwait(false);

                var exit = ExitCodes.Ok;
                foreach (var prefix in prefixes.Distinct(StringComparer.Ordinal))
                {
                    var location = host.Locator.Find(prefix);
                    if (!location.Found)
                    {
                        await console.WriteOutputLineAsync($"{prefix}: not found; tried {string.Join(", ", location.PathsTried)}", cancellationToken).ConfigureAwait(false);
                        exit = Math.Max(exit, ExitCodes.PluginNotFound);
                        continue;
                    }

                    string status;
                    try
                    {
                        // The host's own pre-launch check: executable, trusted, then pinned and matching.
                        var check = host.Check(prefix);
                        status = check.Sha256 is { } sha ? $"sha256 {sha} matches lock" : "no lock file";
                    }
                    catch (ConfigManagerException ex)
                    {
                        status = ex.Code switch
                        {
                            PluginErrorCodes.NotExecutable => "NOT EXECUTABLE",
                            PluginErrorCodes.NotPinned => "NOT PINNED in lock",
                            PluginErrorCodes.OutsideTrustedRoots => "OUTSIDE THE TRUSTED ROOTS",
                            _ => "SHA-256 MISMATCH with lock",
                        };
                        console.Report(new Diagnostic(ex.Code, DiagnosticSeverity.Error, ex.Message, PluginPath: location.Path), mask: null);
                        exit = Math.Max(exit, ExitCodes.For([new Diagnostic(ex.Code, DiagnosticSeverity.Error, ex.Message)]));
                    }

                    // init records the NuGet package a plugin came from: show it as the plugin's origin.
                    var package = lockFile?.Find(prefix) is { Package: { } id } entry ? $"; from package {id} {entry.Version}" : string.Empty;
                    await console.WriteOutputLineAsync($"{prefix}: {location.Path} ({status}{package})", cancellationToken).ConfigureAwait(false);
                }

                return exit;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
