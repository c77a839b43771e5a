using System.Globalization;
using System.Runtime.InteropServices;

namespace ConfigManager.PluginSdk.Transport;

/// <summary>PLUGIN_UNIX_SOCKET_GROUP: give the socket to that group with mode 0660, as go-plugin does.</summary>
internal static partial class UnixSocketGroup
{
    public static void Apply(string socketPath, string group)
    {
        var gid = ResolveGroupId(group)
            ?? throw new PluginStartException("CM2103", $"PLUGIN_UNIX_SOCKET_GROUP names an unknown group '{group}'");
        if (Chown(socketPath, uint.MaxValue, gid) != 0)
        {
            throw new PluginStartException("CM2103", $"cannot give socket {socketPath} to group {group}: errno {Marshal.GetLastPInvokeError()}");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        }
    }

    /// <summary>A gid, or a group name looked up in /etc/group.</summary>
    internal static uint? ResolveGroupId(string group)
    {
        if (uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            return gid;
        }

        if (!File.Exists("/etc/group"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/etc/group"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                return gid;
            }
        }

        return null;
    }

    // uid -1 (uint.MaxValue) leaves the owner as it is.
    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint owner, uint group);
}
