using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Plugins;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Settings;

/// <summary>
/// The settings of one run as the front ends receive them (MSBuild properties, command-line options), before any
/// rule is applied. <see cref="Map"/> applies every rule once for both: separators, prefixes, durations, the plugin
/// search root, relative paths, package-declared plugins. A null setting keeps its default.
/// </summary>
public sealed record RunSettings
{
    /// <summary>How the front end names each setting in messages.</summary>
    public required SettingNames Names { get; init; }

    /// <summary>
    /// Where relative paths are resolved from and where the search for the working directory starts: the project's
    /// folder for the task, the current directory for the tool.
    /// </summary>
    public required string BaseDirectory { get; init; }

    public string? TokenSeparator { get; init; }

    public string? KeySeparator { get; init; }

    /// <summary>Prefixes recognised besides the built-in and installed ones; an entry may list several, separated by <c>, ; </c> or spaces.</summary>
    public IReadOnlyList<string> ExtraPrefixes { get; init; } = [];

    public bool Lax { get; init; }

    public bool StrictPrefixes { get; init; }

    public bool EnvSubst { get; init; }

    public bool InjectStructuredValues { get; init; }

    /// <summary>0 keeps the engine's default.</summary>
    public int MaxConcurrencyPerPrefix { get; init; }

    /// <summary>Searched first; null: <c>$CONFIGMANAGER_DIR</c>.</summary>
    public string? PluginDirectory { get; init; }

    /// <summary>Searched second; null: the nearest folder at or above <see cref="BaseDirectory"/> that holds <c>.configmanager</c>.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Searched last; null: the user's profile directory.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>null: the lock file beside the installed plugins, when there is one (see <see cref="PluginLockFile.PathInUse"/>).</summary>
    public string? LockFile { get; init; }

    public bool AutoMtls { get; init; } = true;

    public IReadOnlyList<string> TrustedPluginRoots { get; init; } = [];

    /// <summary>In the <see cref="Duration"/> grammar.</summary>
    public string? HandshakeTimeout { get; init; }

    /// <summary>In the <see cref="Duration"/> grammar.</summary>
    public string? CallTimeout { get; init; }

    /// <summary>As the package props declare them (any case, untrimmed); checked here.</summary>
    public IReadOnlyList<PackagedPlugin> PackagedPlugins { get; init; } = [];

    /// <summary>Applies the rules; each refused setting is one CM5002 diagnostic naming it as the user wrote it.</summary>
    public RunOptions Map()
    {
        var problems = new List<string>();
        var tokenSeparator = TokenSeparator ?? "://";
        try
        {
            // The grammar owns the token-separator rule.
            TokenGrammar.Create(new EngineOptions { TokenSeparator = tokenSeparator });
        }
        catch (ConfigManagerException refused)
        {
            problems.Add($"{Names.TokenSeparator} '{tokenSeparator}' is refused: {refused.Message}");
        }

        var keySeparator = KeySeparator ?? "|";
        if (keySeparator.Length != 1)
        {
            problems.Add($"{Names.KeySeparator} must be exactly one character, not '{keySeparator}' (default: |).");
        }
        else if (!TokenGrammar.IsValidKeySeparator(keySeparator[0]))
        {
            problems.Add($"{Names.KeySeparator} '{keySeparator}' ends a token, so no key look-up could happen: use one visible character other than whitespace, [ ] and {TokenGrammar.TokenEndingCharacters} (default: |).");
        }

        var prefixes = ExtraPrefixes
            .SelectMany(p => p.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(p => p.ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        problems.AddRange(prefixes.Where(p => !TokenGrammar.IsValidPrefix(p))
            .Select(p => $"{Names.ExtraPrefixes} '{p}' is not a prefix: use letters and digits, starting with a letter."));

        var defaults = new PluginHostOptions();
        var handshake = ReadDuration(HandshakeTimeout, Names.HandshakeTimeout, defaults.HandshakeTimeout, problems);
        var call = ReadDuration(CallTimeout, Names.CallTimeout, defaults.CallTimeout, problems);
        if (MaxConcurrencyPerPrefix < 0)
        {
            problems.Add($"{Names.MaxConcurrencyPerPrefix} must be 0 (default) or a positive number.");
        }

        if (PluginDirectory is { } pluginDirectory && string.IsNullOrWhiteSpace(pluginDirectory))
        {
            problems.Add($"{Names.PluginDirectory} must name a directory; leave it out to search $CONFIGMANAGER_DIR, the working and the home directory.");
        }

        if (TrustedPluginRoots.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{Names.TrustedPluginRoots} must name a directory.");
        }

        var packaged = ReadPackagedPlugins(problems);
        if (problems.Count > 0)
        {
            var diagnostics = problems.Distinct(StringComparer.Ordinal)
                .Select(p => new Diagnostic(SettingsErrorCodes.Invalid, DiagnosticSeverity.Error, p))
                .ToList();
            return new RunOptions(new EngineOptions(), defaults, defaults.CreateLocator(), diagnostics);
        }

        var host = new PluginHostOptions
        {
            PluginDirectory = FullPath(PluginDirectory),
            WorkingDirectory = FullPath(WorkingDirectory) ?? PluginLocator.NearestWorkingDirectory(BaseDirectory),
            HomeDirectory = FullPath(HomeDirectory),
            LockFilePath = FullPath(LockFile),
            AutoMtls = AutoMtls,
            HandshakeTimeout = handshake,
            CallTimeout = call,
            PackagedPlugins = packaged,
            TrustedPluginRoots = [.. TrustedPluginRoots.Select(root => Path.GetFullPath(root, BaseDirectory))],
        };
        var locator = host.CreateLocator();
        var engine = new EngineOptions
        {
            TokenSeparator = tokenSeparator,
            KeySeparator = keySeparator[0],
            // Prefixes of installed plugins are recognised without configuration.
            ExtraPrefixes = prefixes.Concat(locator.InstalledPrefixes()).Distinct(StringComparer.Ordinal).ToArray(),
            Lax = Lax,
            StrictPrefixes = StrictPrefixes,
            EnvSubst = EnvSubst,
            InjectStructuredValues = InjectStructuredValues,
            MaxConcurrencyPerPrefix = MaxConcurrencyPerPrefix > 0 ? MaxConcurrencyPerPrefix : EngineOptions.DefaultMaxConcurrencyPerPrefix,
        };
        return new RunOptions(engine, host, locator, []);
    }

    private string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path, BaseDirectory);

    private static TimeSpan ReadDuration(string? text, string name, TimeSpan fallback, List<string> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        // One grammar for --timeout and the MSBuild timeouts, so 1e300 or Infinity is a coded setting error, not an overflow.
        if (Duration.TryParse(text, out var value, out var problem))
        {
            return value;
        }

        problems.Add($"{name} {problem}.");
        return fallback;
    }

    private PackagedPlugin[] ReadPackagedPlugins(List<string> problems)
    {
        var plugins = new List<PackagedPlugin>();
        foreach (var declared in PackagedPlugins)
        {
            var prefix = declared.Prefix.Trim();
            var sha = declared.Sha256.Trim().ToLowerInvariant();
            if (!PluginPrefix.IsValidInAnyCase(prefix))
            {
                problems.Add($"{Names.PackagedPlugin} '{prefix}' (package {declared.PackageId}) is not a plugin prefix: use letters and digits, starting with a letter.");
                continue;
            }

            var path = string.IsNullOrWhiteSpace(declared.Path) ? null : declared.Path;
            // A package without this RID declares no hash; that case is CM2006 at first use, naming its RIDs.
            if (path is not null && (sha.Length != 64 || !sha.All(Uri.IsHexDigit)))
            {
                problems.Add($"{Names.PackagedPlugin} '{prefix}' (package {declared.PackageId}) has no valid Sha256 metadata (64 hex digits recorded at pack time). Restore the package again.");
                continue;
            }

            plugins.Add(declared with { Prefix = prefix.ToLowerInvariant(), Path = path, Sha256 = sha });
        }

        return [.. plugins];
    }
}
