namespace ConfigManager.PluginSdk.Stores;

/// <summary>
/// A store call's failure, worded for the person reading the build log: what happened (naming the token's path,
/// never a value) and what to do next. The message becomes the gRPC status text the host shows.
/// </summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates a store failure.</summary>
    /// <param name="kind">Why it failed; transient kinds are retried by <see cref="StoreCall"/>.</param>
    /// <param name="message">What happened, naming the token's path (never a value).</param>
    /// <param name="remedy">What to do next, one sentence; appended to the message.</param>
    /// <param name="retryAfter">The delay the server asked for (Retry-After and friends), if any.</param>
    /// <param name="innerException">The client library's exception, if any.</param>
    public StoreException(StoreFailureKind kind, string message, string? remedy = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(Compose(message, remedy), innerException)
    {
        Kind = kind;
        Description = message;
        Remedy = remedy;
        RetryAfter = retryAfter;
    }

    /// <summary>Why it failed.</summary>
    public StoreFailureKind Kind { get; }

    /// <summary>What happened, without the remedy.</summary>
    public string Description { get; }

    /// <summary>What to do next, or null.</summary>
    public string? Remedy { get; }

    /// <summary>The delay the server asked for before another try, or null.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether another attempt may succeed: throttled, unavailable or timed out.</summary>
    public bool IsTransient => Kind is StoreFailureKind.Throttled or StoreFailureKind.Unavailable or StoreFailureKind.Timeout;

    /// <summary>The same failure with more said about it (used when giving up after retries).</summary>
    internal StoreException WithDescription(string description) =>
        new(Kind, description, Remedy, RetryAfter, InnerException);

    private static string Compose(string message, string? remedy)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        if (string.IsNullOrWhiteSpace(remedy))
        {
            return message;
        }

        var separator = message.EndsWith('.') ? " " : ". ";
        return message + separator + remedy;
    }
}
