using ConfigManager.Shared;

namespace ConfigManager.Core.GoPlugin;

/// <summary>The variables a go-plugin host adds to its own environment when it launches a plugin.</summary>
public static class PluginLaunchEnvironment
{
    /// <summary>go-plugin's defaults; plugins use the range only when they listen on TCP (Windows).</summary>
    public const int MinPort = 10000;

    public const int MaxPort = 25000;

    /// <summary>Adds the go-plugin variables to <paramref name="environment"/> (which starts as the host's own).</summary>
    public static void Apply(IDictionary<string, string?> environment, string? clientCertificatePem)
    {
        environment[PluginProtocol.MagicCookieKey] = PluginProtocol.MagicCookieValue;
        environment[PluginProtocol.ProtocolVersionsVariable] = PluginProtocol.AppVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["PLUGIN_MIN_PORT"] = MinPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["PLUGIN_MAX_PORT"] = MaxPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (clientCertificatePem is null)
        {
            // An inherited value would make the plugin demand a certificate we do not have.
            environment.Remove("PLUGIN_CLIENT_CERT");
        }
        else
        {
            environment["PLUGIN_CLIENT_CERT"] = clientCertificatePem;
        }
    }
}
