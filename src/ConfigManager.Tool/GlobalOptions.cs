using System.CommandLine;
using System.CommandLine.Parsing;
using ConfigManager.Core;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Settings;
using ConfigManager.Tool.Install;

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

    public Option<string?> Timeout { get; } = new("--timeout")
    {
        Description = "Time allowed for a plugin to start and for each value request: 30, 30s, 500ms, 2m, 1h, 00:01:30; at most 24h (default 60s)",
        HelpName = "DURATION",
        Recursive = true,
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

    /// <summary>How Core's settings rules name these options in their messages.</summary>
    private static readonly SettingNames s_names = new(
        TokenSeparator: "--token-separator",
        KeySeparator: "--key-separator",
        ExtraPrefixes: "--prefix",
        HandshakeTimeout: "--timeout",
        CallTimeout: "--timeout",
        MaxConcurrencyPerPrefix: "the concurrency per prefix",
        PluginDirectory: "--plugin-dir",
        TrustedPluginRoots: "--trusted-plugin-root",
        PackagedPlugin: "packaged plugin");

    private (ParseResult Parse, RunOptions Options)? _mapped;

    /// <summary>A setting Core refuses is a usage error (CM5050, exit 2), reported before the command runs.</summary>
    public void Validate(CommandResult command)
    {
        foreach (var problem in Settings(command).Map().Diagnostics)
        {
            command.AddError(problem.Message);
        }
    }

    /// <summary>Core's mapping of this command line: engine and host options, and the plugin search (init's install root).</summary>
    public RunOptions Map(ParseResult parse)
    {
        if (_mapped is not { } mapped || !ReferenceEquals(mapped.Parse, parse))
        {
            mapped = (parse, Settings(parse.CommandResult).Map());
            _mapped = mapped;
        }

        return mapped.Options;
    }

    /// <summary>The host's search order for this run (explicit dir or $CONFIGMANAGER_DIR, working dir, home), and init's install root.</summary>
    public InstallLayout Layout(ParseResult parse) => new(Map(parse).Locator);

    public EngineOptions Engine(ParseResult parse) => Map(parse).Engine;

    public PluginHostOptions Host(ParseResult parse) => Map(parse).Host;

    /// <summary>The <c>--timeout</c> given, parsed; null when left out.</summary>
    public TimeSpan? GivenTimeout(ParseResult parse) => parse.GetValue(Timeout) is null ? null : Map(parse).Host.CallTimeout;

    public LogLevel LogLevel(ParseResult parse) => parse.GetValue(Verbose) ? Core.Logging.LogLevel.Debug : Core.Logging.LogLevel.Warn;

    // Only translation: the options as given, relative paths and the working-directory search from the current directory.
    private RunSettings Settings(CommandResult command) => new()
    {
        Names = s_names,
        BaseDirectory = Directory.GetCurrentDirectory(),
        TokenSeparator = command.GetValue(TokenSeparator),
        KeySeparator = command.GetValue(KeySeparator),
        ExtraPrefixes = command.GetValue(Prefix) ?? [],
        EnvSubst = command.GetValue(EnableEnvSubst),
        Lax = command.GetValue(Lax),
        StrictPrefixes = command.GetValue(StrictPrefixes),
        PluginDirectory = command.GetValue(PluginDir),
        AutoMtls = !command.GetValue(NoMtls),
        HandshakeTimeout = command.GetValue(Timeout),
        CallTimeout = command.GetValue(Timeout),
        TrustedPluginRoots = command.GetValue(TrustedPluginRoot) ?? [],
    };
}
