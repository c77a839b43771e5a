namespace ConfigManager.Plugins.TestPlugin;

/// <summary>What the plugin does wrong before (or instead of) serving, chosen by CMTEST_MODE.</summary>
internal static class StartupMisbehaviour
{
    /// <summary>Returns an exit code when the mode replaces serving, or null to go on and serve.</summary>
    public static int? Run(string? mode)
    {
        switch (mode)
        {
            case null or "":
                return null;
            case "garbage":
                Console.Out.Write("hello world\n");
                return null;
            case "blank":
                Console.Out.Write("\n");
                return null;
            case "badcore":
                return HandshakeThenHang("2|1|unix|" + UnusedSocketPath() + "|grpc|");
            case "badapp":
                return HandshakeThenHang("1|99|unix|" + UnusedSocketPath() + "|grpc|");
            case "badnet":
                return HandshakeThenHang("1|1|carrier-pigeon|" + UnusedSocketPath() + "|grpc|");
            case "badproto":
                return HandshakeThenHang("1|1|unix|" + UnusedSocketPath() + "|netrpc|");
            case "silent":
                Thread.Sleep(TimeSpan.FromSeconds(120));
                return 0;
            case "exit":
                Console.Error.Write("refusing to start\n");
                return 4;
            default:
                Console.Error.Write($"unknown CMTEST_MODE '{mode}'\n");
                return 2;
        }
    }

    // The host must refuse the line by itself; if it does not, it is killed with the rest after 120 s.
    private static int HandshakeThenHang(string line)
    {
        Console.Out.Write(line + "\n");
        Console.Out.Flush();
        Thread.Sleep(TimeSpan.FromSeconds(120));
        return 0;
    }

    private static string UnusedSocketPath() => Path.Combine(Path.GetTempPath(), "plugin-cstest-" + Environment.ProcessId);
}
