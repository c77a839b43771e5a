namespace ConfigManager.PluginSdk.Stores;

/// <summary>One key's outcome in a batch reply: its value, or why it failed (the rest of the batch is unaffected).</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly struct StoreResult<T>
{
    private readonly T _value;

    private StoreResult(T value, StoreException? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>Whether the key has a value.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws <see cref="Error"/> when the key failed.</summary>
    public T Value => Error is null ? _value : throw Error;

    /// <summary>Why the key failed, or null.</summary>
    public StoreException? Error { get; }

    /// <summary>A key that has a value.</summary>
    public static StoreResult<T> Success(T value) => new(value, null);

    /// <summary>A key that failed.</summary>
    public static StoreResult<T> Failure(StoreException error) => new(default!, error ?? throw new ArgumentNullException(nameof(error)));
}
