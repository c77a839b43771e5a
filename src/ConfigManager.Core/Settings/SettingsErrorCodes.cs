namespace ConfigManager.Core.Settings;

/// <summary>The code of a setting <see cref="RunSettings.Map"/> refuses (the tool reports it as a usage error).</summary>
public static class SettingsErrorCodes
{
    /// <summary>A setting is invalid: a separator, a prefix, a duration, a concurrency, a directory or a package-declared plugin.</summary>
    public const string Invalid = "CM5002";
}
