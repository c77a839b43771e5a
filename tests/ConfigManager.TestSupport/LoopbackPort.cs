using System.Net;
using System.Net.Sockets;

namespace ConfigManager.TestSupport;

/// <summary>Ports on 127.0.0.1 for servers that must be told their port up front (azurite, HttpListener).</summary>
public static class LoopbackPort
{
    /// <summary>A port the OS just handed out and that is free again; another process could take it before the caller binds it.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
