namespace ConfigManager.Shared;

/// <summary>
/// configmanager's go-plugin HandshakeConfig: the magic cookie and the protocol versions. Compiled into
/// ConfigManager.Core (host) and ConfigManager.PluginSdk (plugin) so the two sides cannot drift apart.
/// </summary>
internal static class PluginProtocol
{
    /// <summary>Environment variable holding the magic cookie (go-plugin's MagicCookieKey).</summary>
    public const string MagicCookieKey = "CONFIGMANAGER_PLUGIN";

    /// <summary>Proof that a host, not a person, started the plugin (go-plugin's MagicCookieValue).</summary>
    public const string MagicCookieValue = "configmanager-plugin-hello";

    /// <summary>go-plugin's core protocol (the first handshake field); hosts refuse anything else.</summary>
    public const int CoreVersion = 1;

    /// <summary>configmanager's plugin API version (HandshakeConfig.ProtocolVersion, the second field).</summary>
    public const int AppVersion = 1;

    /// <summary>Environment variable in which the host lists the app versions it speaks.</summary>
    public const string ProtocolVersionsVariable = "PLUGIN_PROTOCOL_VERSIONS";
}
