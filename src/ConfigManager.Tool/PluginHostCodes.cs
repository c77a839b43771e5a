using ConfigManager.Core.Plugins;

namespace ConfigManager.Tool;

/// <summary>The plugin host's error codes that the exit code tells apart (see src/ConfigManager.Core/Plugins/PluginErrorCodes).</summary>
internal static class PluginHostCodes
{
    /// <summary>Plugin executable missing or not executable, or (strict prefixes) a token-shaped string no plugin serves: exit 3.</summary>
    public static readonly HashSet<string> NotFound = [PluginErrorCodes.NotFound, PluginErrorCodes.NotExecutable, PluginErrorCodes.UnknownPrefix];

    /// <summary>Lock file invalid, checksum mismatch, plugin not pinned, plugin outside the trusted roots: exit 5.</summary>
    public static readonly HashSet<string> Verification = [PluginErrorCodes.LockFileInvalid, PluginErrorCodes.ChecksumMismatch, PluginErrorCodes.NotPinned, PluginErrorCodes.OutsideTrustedRoots];

    /// <summary>The plugin answered, but with an error for the token (the store has no such value): exit 1, like any unresolved token.</summary>
    public static readonly HashSet<string> TokenError = [PluginErrorCodes.PluginError];
}
