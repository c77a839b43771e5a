namespace ConfigManager.Tool;

/// <summary>The plugin host's error codes that the exit code tells apart (see src/ConfigManager.Core/GoPlugin).</summary>
internal static class PluginHostCodes
{
    /// <summary>Plugin executable missing or not executable.</summary>
    public static readonly HashSet<string> NotFound = ["CM2001", "CM2002"];

    /// <summary>The plugin answered, but with an error for the token (the store has no such value).</summary>
    public static readonly HashSet<string> TokenError = [];
}
