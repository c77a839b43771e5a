namespace ConfigManager.PluginSdk.Stores;

/// <summary>
/// How <see cref="StoreCall"/> retries: exponential backoff with full jitter, bounded by attempts and by a total
/// budget that stays inside the host's per-call timeout (60 s by default).
/// </summary>
public sealed record StoreRetryOptions
{
    /// <summary>5 attempts, 100 ms base, 5 s cap, 40 s total, 15 s per attempt.</summary>
    public static StoreRetryOptions Default { get; } = new();

    /// <summary>No retries: one attempt (still with its timeout).</summary>
    public static StoreRetryOptions None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Attempts in all, the first included (at least 1).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The backoff before retry n is random(0, min(MaxDelay, BaseDelay * 2^(n-1))).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest backoff between two attempts, unless the server asks for longer.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>No retry starts once this much time has passed since the first attempt began.</summary>
    public TimeSpan TotalBudget { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>One attempt that takes longer fails as <see cref="StoreFailureKind.Timeout"/>.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The clock (tests use a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The jitter source: returns a number in [0, 1). Tests pin it.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>The full-jitter backoff after <paramref name="failedAttempts"/> failed attempts: random(0, min(MaxDelay, BaseDelay * 2^(n-1))).</summary>
    public TimeSpan Backoff(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var exponent = Math.Min(failedAttempts - 1, 30);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * Jitter());
    }

    internal void Validate()
    {
        if (MaxAttempts < 1 || BaseDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero || TotalBudget <= TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StoreRetryOptions), this, "MaxAttempts must be at least 1, delays not negative, budgets positive.");
        }
    }
}
