using ConfigManager.Core.Plugins;
using ConfigManager.Core.Settings;
using Microsoft.Build.Framework;

namespace ConfigManager.Tasks;

/// <summary>
/// The settings every ConfigManager task receives from the targets, translated into Core's <see cref="RunSettings"/>:
/// the rules (separators, prefixes, search root, relative paths) are Core's, applied the same way for the tool.
/// </summary>
public abstract class SettingsTask : Microsoft.Build.Utilities.Task
{
    /// <summary>The MSBuild properties the settings come from, as Core's messages name them.</summary>
    internal static readonly SettingNames Names = new(
        TokenSeparator: "ConfigManagerTokenSeparator",
        KeySeparator: "ConfigManagerKeySeparator",
        ExtraPrefixes: "ConfigManagerExtraPrefixes",
        HandshakeTimeout: "ConfigManagerHandshakeTimeout",
        CallTimeout: "ConfigManagerCallTimeout",
        MaxConcurrencyPerPrefix: "ConfigManagerMaxConcurrencyPerPrefix",
        PluginDirectory: "ConfigManagerPluginDir",
        TrustedPluginRoots: "ConfigManagerTrustedPluginRoots",
        PackagedPlugin: "ConfigManagerPlugin item");

    public string TokenSeparator { get; set; } = "://";

    public string KeySeparator { get; set; } = "|";

    /// <summary>Prefixes recognised besides the built-in and installed ones, separated by <c>; , </c> or spaces.</summary>
    public string[] ExtraPrefixes { get; set; } = [];

    public bool EnvSubst { get; set; }

    /// <summary>Searched first for <c>.configmanager/plugins/...</c>; empty: <c>$CONFIGMANAGER_DIR</c>.</summary>
    public string? PluginDirectory { get; set; }

    /// <summary>Searched second; empty: the nearest folder at or above the project that holds <c>.configmanager</c>.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The project's folder: relative settings are resolved from it and the working-directory search starts there.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>
    /// <c>@(ConfigManagerPlugin)</c> from plugin packages' build props: ItemSpec = prefix; metadata <c>Path</c> (empty when
    /// the package lacks this RID), <c>Sha256</c>, <c>PackageId</c>, <c>PackageVersion</c>, <c>AvailableRids</c>,
    /// <c>RuntimeIdentifier</c> (the RID the build selected).
    /// </summary>
    public ITaskItem[] PackagedPlugins { get; set; } = [];

    /// <summary>The properties as given; an empty MSBuild property is a setting left out.</summary>
    protected virtual RunSettings Settings() => new()
    {
        Names = Names,
        BaseDirectory = NullIfEmpty(ProjectDirectory) ?? Environment.CurrentDirectory,
        TokenSeparator = TokenSeparator,
        KeySeparator = KeySeparator,
        ExtraPrefixes = ExtraPrefixes,
        EnvSubst = EnvSubst,
        PluginDirectory = PluginDirectory is { Length: 0 } ? null : PluginDirectory,
        WorkingDirectory = NullIfEmpty(WorkingDirectory),
        PackagedPlugins = [.. PackagedPlugins.Select(item => new PackagedPlugin(
            item.ItemSpec,
            item.GetMetadata("Path"),
            item.GetMetadata("Sha256"),
            item.GetMetadata("PackageId"),
            item.GetMetadata("PackageVersion"),
            item.GetMetadata("AvailableRids").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            RuntimeIdentifier = NullIfEmpty(item.GetMetadata("RuntimeIdentifier")),
        })],
    };

    protected static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
