using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ConfigManager.Core;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Install;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Plugins;
using ConfigManager.Core.Settings;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Tool;

/// <summary>The options every command accepts (configmanager's persistent flags plus ours), and their mapping to Core.</summary>
internal sealed class GlobalOptions
{
    public Option<string> TokenSeparator { get; } = new("--token-separator", "-s")
    {
        Description = "Separator between the prefix and the store path, e.g. AWSSECRETS:///path or AWSSECRETS#/path",
        DefaultValueFactory = _ => "://",
        Recursive = true,
    };

    public Option<string> KeySeparator { get; } = new("--key-separator", "-k")
    {
        Description = "One character between the store path and a key look-up in a JSON value, e.g. AWSSECRETS:///token/map|key1",
        DefaultValueFactory = _ => "|",
        Recursive = true,
    };

    public Option<bool> EnableEnvSubst { get; } = new("--enable-envsubst", "-e")
    {
        Description = "Replace $VAR and ${VAR} in the input first; an unset or empty variable is an error",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log debug lines (plugin launches, requests, plugin stderr) to stderr; secret values are masked",
        Recursive = true,
    };

    public Option<bool> Lax { get; } = new("--lax")
    {
        Description = "Leave tokens that cannot be resolved as written and warn, instead of failing",
        Recursive = true,
    };

    public Option<bool> StrictPrefixes { get; } = new("--strict-prefixes")
    {
        Description = "Fail (CM2050) on a token-shaped string (UPPER://...) whose prefix has no plugin and is not known, instead of warning",
        Recursive = true,
    };

    public Option<string?> PluginDir { get; } = new("--plugin-dir")
    {
        Description = "Root searched first for DIR/.configmanager/plugins/<prefix>/<prefix>-<os>-<arch> (default: $CONFIGMANAGER_DIR), then the working and home directories; init installs here",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<bool> NoMtls { get; } = new("--no-mtls")
    {
        Description = "Do not use go-plugin AutoMTLS between the tool and its plugins",
        Recursive = true,
    };

    public Option<TimeSpan?> Timeout { get; } = new("--timeout")
    {
        Description = "Time allowed for a plugin to start and for each value request: 30, 30s, 500ms, 2m, 1h, 00:01:30; at most 24h (default 60s)",
        HelpName = "DURATION",
        Recursive = true,
        CustomParser = ParseDuration,
    };

    public Option<string[]> Prefix { get; } = new("--prefix")
    {
        Description = "Also recognise this token prefix (installed plugins' prefixes are recognised automatically)",
        HelpName = "PREFIX",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> TrustedPluginRoot { get; } = new("--trusted-plugin-root")
    {
        Description = "Run only plugins whose real path is inside DIR (repeatable); others are refused with CM2041. Use it in checkouts you do not trust",
        HelpName = "DIR",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public IEnumerable<Option> All => [TokenSeparator, KeySeparator, EnableEnvSubst, Verbose, Lax, StrictPrefixes, PluginDir, NoMtls, Timeout, Prefix, TrustedPluginRoot];

    public void Validate(CommandResult command)
    {
        var key = command.GetValue(KeySeparator);
        if (key is not null && key.Length != 1)
        {
            command.AddError($"--key-separator must be exactly one character, got '{key}'.");
        }

        var token = command.GetValue(TokenSeparator);
        if (key is null || key.Length == 1)
        {
            // The engine owns the separator rules; a separator it refuses is a usage error, not a failed run.
            try
            {
                TokenGrammar.Create(new EngineOptions { TokenSeparator = token ?? "://", KeySeparator = key?[0] ?? '|' });
            }
            catch (ConfigManagerException refused)
            {
                command.AddError($"{refused.Message} (engine rule {refused.Code})");
            }
        }

        if ((command.GetValue(TrustedPluginRoot) ?? []).Any(string.IsNullOrWhiteSpace))
        {
            command.AddError("--trusted-plugin-root must name a directory.");
        }

        if (command.GetValue(PluginDir) is { } pluginDir && string.IsNullOrWhiteSpace(pluginDir))
        {
            command.AddError("--plugin-dir must name a directory; leave the option out to search $CONFIGMANAGER_DIR, the working and the home directory.");
        }

        foreach (var prefix in command.GetValue(Prefix) ?? [])
        {
            if (!TokenGrammar.IsValidPrefix(prefix.ToUpperInvariant()))
            {
                command.AddError($"--prefix '{prefix}' must be letters and digits, starting with a letter.");
            }
        }
    }

    /// <summary>The host's search order for this run (explicit dir or $CONFIGMANAGER_DIR, working dir, home), and init's install root.</summary>
    public InstallLayout Layout(ParseResult parse)
        => new(new PluginLocator(parse.GetValue(PluginDir) is { } dir ? Path.GetFullPath(dir) : null, Directory.GetCurrentDirectory())
        {
            Trusted = new TrustedPluginRoots(TrustedRoots(parse)),
        });

    private IReadOnlyList<string> TrustedRoots(ParseResult parse) => [.. (parse.GetValue(TrustedPluginRoot) ?? []).Select(Path.GetFullPath)];

    public EngineOptions Engine(ParseResult parse, InstallLayout layout) => new()
    {
        TokenSeparator = parse.GetValue(TokenSeparator)!,
        KeySeparator = parse.GetValue(KeySeparator)![0],
        EnvSubst = parse.GetValue(EnableEnvSubst),
        Lax = parse.GetValue(Lax),
        StrictPrefixes = parse.GetValue(StrictPrefixes),
        ExtraPrefixes = layout.Locator.InstalledPrefixes()
            .Concat((parse.GetValue(Prefix) ?? []).Select(p => p.ToUpperInvariant()))
            .Distinct(StringComparer.Ordinal)
            .ToList(),
    };

    public PluginHostOptions Host(ParseResult parse, InstallLayout layout)
    {
        var timeout = parse.GetValue(Timeout);
        var options = new PluginHostOptions
        {
            PluginDirectory = parse.GetValue(PluginDir) is { } dir ? Path.GetFullPath(dir) : null,
            WorkingDirectory = Directory.GetCurrentDirectory(),
            LockFilePath = File.Exists(layout.LockFilePath) ? layout.LockFilePath : null,
            AutoMtls = !parse.GetValue(NoMtls),
            TrustedPluginRoots = TrustedRoots(parse),
        };
        return timeout is { } t ? options with { HandshakeTimeout = t, CallTimeout = t } : options;
    }

    public LogLevel LogLevel(ParseResult parse) => parse.GetValue(Verbose) ? Core.Logging.LogLevel.Debug : Core.Logging.LogLevel.Warn;

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Duration.TryParse(text, out var value, out var problem))
        {
            return value;
        }

        result.AddError($"--timeout {problem}.");
        return null;
    }
}
