namespace ConfigManager.TestSupport;

/// <summary>
/// The time limits that only catch a hung child (a build, a pack, a publish, an emulator start), never a behaviour
/// under test. Each call site states what a quiet 2-core machine needs with a wide margin; this multiplies it,
/// because a loaded machine is several times slower (a `dotnet pack` of ConfigManager.Tasks passed 5 min at load
/// 35–40 on 2 cores, and a NativeAOT plugin publish took 17 min). A real hang is still caught, only later.
/// <c>CONFIGMANAGER_TEST_HANG_FACTOR</c> (a number ≥ 1) overrides the factor.
/// </summary>
public static class HangGuard
{
    /// <summary>The factor applied to every hang limit (default 4).</summary>
    public static double Factor { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("CONFIGMANAGER_TEST_HANG_FACTOR"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var factor) && factor >= 1
            ? factor
            : 4;

    /// <summary>The limit for a step that needs at most <paramref name="quiet"/> on a quiet machine.</summary>
    public static TimeSpan Limit(TimeSpan quiet) => quiet * Factor;
}
