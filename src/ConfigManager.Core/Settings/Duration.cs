using System.Globalization;

namespace ConfigManager.Core.Settings;

/// <summary>
/// The one duration grammar of both front ends (<c>--timeout</c>, <c>ConfigManagerHandshakeTimeout</c>,
/// <c>ConfigManagerCallTimeout</c>): a positive number of seconds (<c>30</c>, <c>2.5</c>), or with a unit
/// (<c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>), or a time span (<c>00:01:30</c>); at least 1 ms and at most
/// <see cref="Maximum"/>. Anything else (0, negatives, NaN, Infinity, 1e300) is refused, never overflowed.
/// </summary>
public static class Duration
{
    /// <summary>The longest accepted duration: one day (timers and Task.Delay accept far less than TimeSpan.MaxValue).</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(1);

    /// <summary>The shortest accepted duration.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(1);

    /// <summary>How the grammar is explained in errors and help.</summary>
    public const string Examples = "e.g. 30, 30s, 500ms, 2m, 1h or 00:01:30, at most 24h";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says why (never throws).</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string problem)
    {
        value = default;
        text = text?.Trim() ?? string.Empty;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
            {
                problem = $"'{text}' is not a duration ({Examples})";
                return false;
            }

            return InRange(text, value.TotalSeconds, out value, out problem);
        }

        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') || text.EndsWith('S') ? (text[..^1], 1.0)
            : text.EndsWith('m') || text.EndsWith('M') ? (text[..^1], 60.0)
            : text.EndsWith('h') || text.EndsWith('H') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var amount)
            || !double.IsFinite(amount))
        {
            problem = $"'{text}' is not a duration ({Examples})";
            return false;
        }

        return InRange(text, amount * unit, out value, out problem);
    }

    private static bool InRange(string text, double seconds, out TimeSpan value, out string problem)
    {
        value = default;
        // Compared as doubles first: TimeSpan.FromSeconds(1e300) would throw OverflowException.
        if (!double.IsFinite(seconds) || seconds > Maximum.TotalSeconds)
        {
            problem = $"'{text}' is longer than the maximum of {Maximum.TotalHours:0} hours ({Examples})";
            return false;
        }

        if (seconds < Minimum.TotalSeconds)
        {
            problem = $"'{text}' must be a positive duration of at least 1 ms ({Examples})";
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        problem = string.Empty;
        return true;
    }
}
