using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Plugins;
using ConfigManager.Shared;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// go-plugin's handshake, the plugin's first stdout line:
/// <c>core|app|network|address|protocol|server-cert[|mux]</c>.
/// </summary>
public sealed record HandshakeLine(
    int CoreVersion,
    int AppVersion,
    string Network,
    string Address,
    string Protocol,
    byte[]? ServerCertificate)
{
    /// <summary>go-plugin ignores shorter cert fields, so do we.</summary>
    private const int MinimumCertificateFieldLength = 51;

    /// <summary>Parses and validates a handshake; every failure is a coded <see cref="ConfigManagerException"/>.</summary>
    public static HandshakeLine Parse(string? line, string pluginPath)
    {
        var text = line?.Trim() ?? string.Empty;
        var fields = text.Split('|');
        if (fields.Length < 4 || !int.TryParse(fields[0], out var core))
        {
            // go-plugin skips nothing: a banner or a blank line before the handshake is fatal.
            throw Fail(
                PluginErrorCodes.HandshakeUnrecognized,
                $"Unrecognized first line from the plugin: {Quote(text)}. A go-plugin plugin must print its handshake "
                + "(1|1|unix|/tmp/plugin...|grpc|...) as the very first line on stdout; make sure nothing else writes to stdout before plugin.Serve.",
                pluginPath);
        }

        if (core != PluginProtocol.CoreVersion)
        {
            throw Fail(
                PluginErrorCodes.CoreVersionMismatch,
                $"The plugin speaks go-plugin core protocol {fields[0]}, this host speaks {PluginProtocol.CoreVersion}. Use a plugin built with hashicorp/go-plugin.",
                pluginPath);
        }

        if (!int.TryParse(fields[1], out var app) || app != PluginProtocol.AppVersion)
        {
            throw Fail(
                PluginErrorCodes.AppVersionMismatch,
                $"The plugin offers configmanager plugin API version {Quote(fields[1])}, this host speaks {PluginProtocol.AppVersion}. "
                + "Install a plugin version made for this configmanager.",
                pluginPath);
        }

        var network = fields[2];
        if (network is not ("unix" or "tcp"))
        {
            throw Fail(
                PluginErrorCodes.UnknownNetwork,
                $"The plugin listens on unknown network {Quote(network)}; only unix and tcp are supported.",
                pluginPath);
        }

        // A missing protocol field means netrpc in go-plugin.
        var protocol = fields.Length > 4 ? fields[4] : "netrpc";
        if (protocol != "grpc")
        {
            throw Fail(
                PluginErrorCodes.UnsupportedProtocol,
                $"The plugin serves protocol {Quote(protocol)}; configmanager plugins must serve grpc (set GRPCServer in plugin.ServeConfig).",
                pluginPath);
        }

        // Field 7 (multiplexing flag, go-plugin >= 1.6) is tolerated and ignored: we never ask for multiplexing.
        byte[]? certificate = null;
        if (fields.Length > 5 && fields[5].Length >= MinimumCertificateFieldLength)
        {
            // Base64 that is not a DER certificate is the handshake's fault (CM2018), not a failed connection later.
            certificate = DecodeUnpaddedBase64(fields[5]) is { } der && IsCertificate(der) ? der : throw Fail(
                PluginErrorCodes.BadServerCertificate,
                "The server certificate in the plugin's handshake is not valid base64 DER.",
                pluginPath);
        }

        return new HandshakeLine(core, app, network, fields[3], protocol, certificate);
    }

    /// <summary>go-plugin writes the cert with RawStdEncoding (no '=' padding); .NET needs it padded.</summary>
    private static byte[]? DecodeUnpaddedBase64(string field)
    {
        var padded = field.TrimEnd('=');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsCertificate(byte[] der)
    {
        try
        {
            using var parsed = new System.Security.Cryptography.X509Certificates.X509Certificate2(der);
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static string Quote(string text) => text.Length <= 120 ? $"\"{text}\"" : $"\"{text[..120]}…\"";

    private static ConfigManagerException Fail(string code, string message, string pluginPath) =>
        new(code, $"Plugin {pluginPath}: {message}", pluginPath);
}
