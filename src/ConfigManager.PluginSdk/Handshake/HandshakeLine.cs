using System.Text;
using ConfigManager.Shared;

namespace ConfigManager.PluginSdk.Handshake;

/// <summary>The one stdout line a go-plugin host reads: <c>1|version|network|address|grpc|cert</c>.</summary>
internal static class HandshakeLine
{
    /// <summary>go-plugin's core protocol; hosts refuse anything else.</summary>
    public const int CoreProtocolVersion = PluginProtocol.CoreVersion;

    public static string Format(int appVersion, string network, string address, byte[]? serverCertificateDer, bool multiplexRequested)
    {
        var line = new StringBuilder()
            .Append(CoreProtocolVersion).Append('|')
            .Append(appVersion).Append('|')
            .Append(network).Append('|')
            .Append(address).Append('|')
            .Append("grpc").Append('|')
            .Append(serverCertificateDer is null ? string.Empty : UnpaddedBase64(serverCertificateDer));

        // Only a host that asked for multiplexing (go-plugin >= 1.6) expects the 7th field; older hosts split into 6.
        if (multiplexRequested)
        {
            line.Append("|false");
        }

        return line.Append('\n').ToString();
    }

    /// <summary>Go's base64.RawStdEncoding: standard alphabet, '=' stripped.</summary>
    public static string UnpaddedBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');
}
