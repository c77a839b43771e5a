namespace ConfigManager.PluginSdk.Stores;

/// <summary>How long <see cref="StoreBatcher{TKey, TValue}"/> waits for company and how many batches it runs at once.</summary>
public sealed record StoreBatcherOptions
{
    /// <summary>3 ms quiet period, 50 ms hold at most, 4 batches in flight, the system clock.</summary>
    public static StoreBatcherOptions Default { get; } = new();

    /// <summary>A partly filled batch is sent once no new key arrived for this long and no more company is due (no batch in
    /// flight, every caller answered so far replaced); a lone call waits this long.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(3);

    /// <summary>A partly filled batch is sent at the latest this long after its first key arrived, company due or not.</summary>
    public TimeSpan MaxHold { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Store calls in flight at once; further full batches wait for one to finish.</summary>
    public int MaxConcurrentBatches { get; init; } = 4;

    /// <summary>The clock the quiet period and the hold are measured on; tests pass a manual one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (QuietPeriod < TimeSpan.Zero || MaxHold < QuietPeriod || MaxConcurrentBatches < 1 || TimeProvider is null)
        {
            throw new ArgumentOutOfRangeException(nameof(StoreBatcherOptions), this, "QuietPeriod must not be negative, MaxHold at least QuietPeriod, MaxConcurrentBatches at least 1, TimeProvider set.");
        }
    }
}
