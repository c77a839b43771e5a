using ConfigManager.Shared;

namespace ConfigManager.PluginSdk.Handshake;

/// <summary>Picks the app protocol version the way go-plugin's server does (protocolVersion in server.go).</summary>
internal static class ProtocolVersion
{
    /// <summary>The configmanager TokenStore protocol versions this SDK serves, newest first.</summary>
    public static readonly IReadOnlyList<int> Supported = [PluginProtocol.AppVersion];

    /// <summary>
    /// The newest supported version the host lists in <c>PLUGIN_PROTOCOL_VERSIONS</c>; with no match the
    /// lowest supported one, so that the host reports the incompatibility (not the plugin).
    /// </summary>
    public static int Negotiate(string? hostVersions, IReadOnlyList<int> supported, Action<string> warn)
    {
        var offered = new HashSet<int>();
        if (!string.IsNullOrEmpty(hostVersions))
        {
            foreach (var part in hostVersions.Split(','))
            {
                if (int.TryParse(part, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var version))
                {
                    offered.Add(version);
                }
                else
                {
                    warn($"server sent invalid plugin version \"{part}\"");
                }
            }
        }

        foreach (var version in supported.OrderDescending())
        {
            if (offered.Contains(version))
            {
                return version;
            }
        }

        return supported.Min();
    }
}
