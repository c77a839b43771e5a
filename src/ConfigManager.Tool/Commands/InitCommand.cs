using System.CommandLine;
using ConfigManager.Core.Logging;
using ConfigManager.Tool.Install;
using ConfigManager.Tool.Terminal;

namespace ConfigManager.Tool.Commands;

/// <summary><c>init</c>: installs plugins into the layout for this OS/arch, verifies and pins them in the lock file.</summary>
internal static class InitCommand
{
    public static Command Create(GlobalOptions global, ToolConsole console)
    {
        var plugins = new Option<string[]>("--plugin")
        {
            Description = "Plugin (prefix) to install, e.g. awsparamstr. Repeat for more",
            Required = true,
            HelpName = "NAME",
        };
        var source = new Option<string?>("--source")
        {
            Description = "A NuGet feed (a v3 .../index.json URL, or a folder of .nupkg files) holding ConfigManager.Plugin.<Name>; or a folder holding <name>-<os>-<arch> (or <name>/..., or .configmanager/plugins/<name>/...); or an http(s) base URL serving <name>-<os>-<arch> with <name>-<os>-<arch>.sha256 beside it (or give --sha256). Without it: ConfigManager.Plugin.<Name> from the NuGet sources configured here (an already-installed plugin is verified and pinned instead, unless --version is given)",
            HelpName = "DIR|URL",
        };
        var sha256 = new Option<string?>("--sha256")
        {
            Description = "The expected SHA-256 of the one plugin binary being installed (required for an http(s) --source that publishes no .sha256)",
            HelpName = "HEX",
        };
        var version = new Option<string?>("--version")
        {
            Description = "The ConfigManager.Plugin.<Name> package version to install from NuGet (default: the newest stable)",
            HelpName = "VERSION",
        };
        var command = new Command("init", "Installs plugins into <plugin-dir or $CONFIGMANAGER_DIR or cwd>/.configmanager/plugins for this OS/arch, SHA-256 verified and recorded in .configmanager/plugins.lock.json")
        {
            plugins,
            source,
            sha256,
            version,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var mask = new SecretMask();
            return await CommandRun.GuardAsync(console, mask, async () =>
            {
                var layout = global.Layout(parse);
                using var http = new HttpClient { Timeout = global.GivenTimeout(parse) ?? TimeSpan.FromMinutes(5) };
                var installer = new PluginInstaller(layout, http) { Feed = new NuGetPluginFeed() };
                var progress = new ProgressPrinter(console.Error, console.ErrorIsTerminal);
                var result = await installer.InstallAsync(parse.GetValue(plugins)!, parse.GetValue(source), progress, cancellationToken, parse.GetValue(sha256), parse.GetValue(version)).ConfigureAwait(false);

                foreach (var plugin in result.Installed)
                {
                    var verified = plugin.VerifiedAgainst.Count == 0 ? "no published checksum; pinned now" : "verified against " + string.Join(" and ", plugin.VerifiedAgainst);
                    await console.WriteOutputLineAsync($"{plugin.Prefix.ToUpperInvariant()}: {plugin.Path} sha256 {plugin.Sha256} from {plugin.Source} ({verified})", cancellationToken).ConfigureAwait(false);
                }

                if (result.Installed.Count > 0)
                {
                    await console.WriteOutputLineAsync($"lock file: {layout.LockFilePath}", cancellationToken).ConfigureAwait(false);
                }

                console.Report(result.Diagnostics, mask: null);
                return ExitCodes.For(result.Diagnostics);
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
