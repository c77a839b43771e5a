using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ConfigManager.PluginSdk.Transport;

/// <summary>Where the plugin listens: a Unix socket (go-plugin on Linux/macOS) or loopback TCP (Windows).</summary>
internal sealed record PluginEndpoint(string Network, string Address, string? SocketPath, IPEndPoint? TcpEndPoint)
{
    public static PluginEndpoint Choose(Func<string, string?> environment) =>
        OperatingSystem.IsWindows() ? ChooseTcp(environment) : ChooseUnixSocket(environment);

    /// <summary><c>{PLUGIN_UNIX_SOCKET_DIR | $TMPDIR | /tmp}/plugin{random digits}</c>, as go-plugin names it.</summary>
    public static PluginEndpoint ChooseUnixSocket(Func<string, string?> environment)
    {
        var directory = NonEmpty(environment("PLUGIN_UNIX_SOCKET_DIR")) ?? NonEmpty(environment("TMPDIR")) ?? "/tmp";
        while (true)
        {
            // Not a secret, only unique (as go-plugin's TempFile name); Random keeps OpenSSL out of a plaintext start-up.
            var path = Path.Combine(directory, "plugin" + Random.Shared.Next().ToString(CultureInfo.InvariantCulture));
            if (!File.Exists(path))
            {
                return new PluginEndpoint("unix", path, path, null);
            }
        }
    }

    /// <summary>The first free port of 127.0.0.1 in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT (both unset: any port).</summary>
    public static PluginEndpoint ChooseTcp(Func<string, string?> environment)
    {
        var min = Port(environment("PLUGIN_MIN_PORT"));
        var max = Port(environment("PLUGIN_MAX_PORT"));
        for (var port = min; port <= max; port++)
        {
            // Probe with a plain socket; Kestrel binds the same port right after (go-plugin walks the range the same way).
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException)
            {
                continue;
            }

            var bound = (IPEndPoint)probe.LocalEndPoint!;
            return new PluginEndpoint("tcp", "127.0.0.1:" + bound.Port.ToString(CultureInfo.InvariantCulture), null, bound);
        }

        throw new PluginStartException("CM2102", $"no free TCP port on 127.0.0.1 between PLUGIN_MIN_PORT={min} and PLUGIN_MAX_PORT={max}");
    }

    private static int Port(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 0;

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
