using System.CommandLine;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Shared;
using ConfigManager.Tool.Commands;
using ConfigManager.Tool.Output;
using ConfigManager.Tool.Terminal;

namespace ConfigManager.Tool;

/// <summary>The <c>dotnet configmanager</c> command tree: configmanager's commands and flags, plus scan and plugins.</summary>
internal static class ToolCommandLine
{
    public static RootCommand Create(ToolConsole console)
    {
        var global = new GlobalOptions();
        var root = new RootCommand(
            "dotnet configmanager: retrieves config and secret values for configmanager tokens "
            + "(e.g. AWSSECRETS:///app/db|password) from go-plugin plugins, and writes them as shell exports "
            + "or into a copy of a config file.\n\n" + ExitCodes.HelpText)
        {
            RetrieveCommand.Create(global, console),
            StringInputCommand.Create(global, console),
            InitCommand.Create(global, console),
            VersionCommand.Create(console),
            ScanCommand.Create(global, console),
            PluginsCommand.Create(global, console),
        };
        foreach (var option in global.All)
        {
            root.Options.Add(option);
        }

        root.Validators.Add(global.Validate);
        foreach (var command in root.Subcommands)
        {
            command.Validators.Add(global.Validate);
        }

        return root;
    }

    /// <summary>Parses and runs; parse errors are usage errors (exit 2), cancellation exits 130.</summary>
    public static async Task<int> RunAsync(string[] args, ToolConsole console, CancellationToken cancellationToken)
    {
        var parse = Create(console).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Report(new Diagnostic(ToolErrorCodes.Usage, DiagnosticSeverity.Error, error.Message + " Run 'dotnet configmanager --help' for usage."), mask: null);
            }

            return ExitCodes.Usage;
        }

        // retrieve and string-input talk only to pinned plugins: skip the system CA store they never use (≈ 50 ms).
        // (docs/cli.md "No system trust store"; init downloads over TLS and keeps it.)
        if (parse.CommandResult.Command.Name is "retrieve" or "string-input"
            && Environment.GetEnvironmentVariable("CONFIGMANAGER_KEEP_SYSTEM_TRUST_STORE") != "1")
        {
            SystemTrustStore.SkipInThisProcess();
        }

        var invocation = new InvocationConfiguration
        {
            Output = new StreamWriter(console.Output) { AutoFlush = true },
            Error = console.Error,
            // We own SIGINT/SIGTERM handling (ShutdownSignal) so plugins are always shut down first.
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
