namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// Set when this process received SIGTERM, SIGHUP or SIGQUIT and the host killed its plugins: calls that fail
/// from then on failed because of the termination, not because a plugin crashed, so front ends report a
/// cancellation (the MSBuild task's CM4053, the tool's CM5057) instead of "crashed (exit code 137)".
/// </summary>
public static class ProcessTermination
{
    private static volatile string? s_signal;

    /// <summary>True once a terminating signal reached this process.</summary>
    public static bool Requested => s_signal is not null;

    /// <summary>The signal's name (SIGTERM, ...), or null.</summary>
    public static string? Signal => s_signal;

    internal static void Record(string signal) => s_signal ??= signal;
}
