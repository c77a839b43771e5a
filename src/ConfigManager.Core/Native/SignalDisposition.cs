namespace ConfigManager.Core.Native;

/// <summary>
/// Whether a signal is ignored in this process, as <c>nohup</c> leaves SIGHUP: read from the <c>SigIgn</c> mask of
/// <c>/proc/self/status</c> (Linux). A signal ignored on entry stays ignored: handling it would undo nohup.
/// </summary>
public static class SignalDisposition
{
    /// <summary>SIGHUP's number on Linux.</summary>
    public const int Hangup = 1;

    /// <summary>True when <paramref name="signal"/> is set to SIG_IGN (false when unknown or not Linux).</summary>
    public static bool IsIgnored(int signal)
    {
        if (!OperatingSystem.IsLinux() || signal is < 1 or > 64)
        {
            return false;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                {
                    var mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
                    return (mask & (1UL << (signal - 1))) != 0;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // No /proc: treat as not ignored, the runtime's default.
        }

        return false;
    }
}
