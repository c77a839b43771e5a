namespace ConfigManager.Core.Settings;

/// <summary>
/// What each front end calls the settings (MSBuild property or command-line option), so the coded messages of
/// <see cref="RunSettings.Map"/> name what the user wrote. The vocabulary lives with the front end.
/// </summary>
public sealed record SettingNames(
    string TokenSeparator,
    string KeySeparator,
    string ExtraPrefixes,
    string HandshakeTimeout,
    string CallTimeout,
    string MaxConcurrencyPerPrefix,
    string PluginDirectory,
    string TrustedPluginRoots,
    string PackagedPlugin);
