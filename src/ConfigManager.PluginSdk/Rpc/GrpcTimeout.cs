using System.Globalization;

namespace ConfigManager.PluginSdk.Rpc;

/// <summary>The grpc-timeout request header: 1 to 8 digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    // CancellationTokenSource.CancelAfter takes at most uint.MaxValue - 1 ms (≈ 49 days); longer is no deadline.
    private static readonly TimeSpan s_longest = TimeSpan.FromDays(30);

    /// <summary>The timeout, or null when the header is absent, malformed or beyond 30 days.</summary>
    public static TimeSpan? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9
            || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        TimeSpan? timeout = value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromTicks(amount * 10),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
        return timeout <= s_longest ? timeout : null;
    }
}
