using ConfigManager.Shared;

namespace ConfigManager.PluginSdk.Handshake;

/// <summary>configmanager's go-plugin magic cookie: proof that a host, not a person, started the plugin.</summary>
internal static class MagicCookie
{
    public const string Key = PluginProtocol.MagicCookieKey;

    public const string Value = PluginProtocol.MagicCookieValue;

    /// <summary>go-plugin's exact words (server.go), so people recognise them from Go plugins.</summary>
    public const string RefusalMessage =
        "This binary is a plugin. These are not meant to be executed directly.\n" +
        "Please execute the program that consumes these plugins, which will\n" +
        "load any plugins automatically\n";

    public static bool IsPresent(string? environmentValue) => string.Equals(environmentValue, Value, StringComparison.Ordinal);
}
