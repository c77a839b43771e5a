namespace ConfigManager.PluginSdk.Stores;

/// <summary>
/// Coalesces the Value calls that arrive together into the store's batch API (SSM GetParameters, Secrets Manager
/// BatchGetSecretValue, ...). A batch is sent as soon as it is full, or once no new key arrived for
/// <see cref="StoreBatcherOptions.QuietPeriod"/> (at the latest <see cref="StoreBatcherOptions.MaxHold"/> after its
/// first key), so a lone call waits a few milliseconds at most. The same key asked twice while pending or in flight
/// is fetched once. A key the reply omits fails alone; a batch that throws fails every key in it.
/// </summary>
/// <typeparam name="TKey">What identifies one request (a name plus its selector, say).</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class StoreBatcher<TKey, TValue> : IDisposable
    where TKey : notnull
{
    private readonly int _maxBatchSize;
    private readonly Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, StoreResult<TValue>>>> _fetchBatch;
    private readonly StoreBatcherOptions _options;
    private readonly SemaphoreSlim _batchSlots;
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _gate = new();
    private readonly Dictionary<TKey, TaskCompletionSource<TValue>> _known;
    private readonly List<TKey> _pending = [];
    private long _lastArrival;
    private bool _flusherRunning;

    /// <summary>Creates a batcher.</summary>
    /// <param name="maxBatchSize">Keys per store call (the API's limit); 1 switches batching off: every key is fetched at once, alone.</param>
    /// <param name="fetchBatch">Fetches up to <paramref name="maxBatchSize"/> distinct keys in one store call; wrap its body in <see cref="StoreCall.RunAsync"/> to retry a throttled batch.</param>
    /// <param name="options">Timing and concurrency; null for <see cref="StoreBatcherOptions.Default"/>.</param>
    /// <param name="comparer">Which keys are the same request; null for the default comparer.</param>
    public StoreBatcher(
        int maxBatchSize,
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, StoreResult<TValue>>>> fetchBatch,
        StoreBatcherOptions? options = null,
        IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentNullException.ThrowIfNull(fetchBatch);
        _options = options ?? StoreBatcherOptions.Default;
        _options.Validate();
        _maxBatchSize = maxBatchSize;
        _fetchBatch = fetchBatch;
        _known = new Dictionary<TKey, TaskCompletionSource<TValue>>(comparer);
        _batchSlots = new SemaphoreSlim(_options.MaxConcurrentBatches, _options.MaxConcurrentBatches);
    }

    /// <summary>The value for <paramref name="key"/>, fetched in a batch with the keys asked for at about the same time.</summary>
    /// <param name="key">The request.</param>
    /// <param name="cancellationToken">Stops this caller's wait; the batch itself runs on for the other keys in it.</param>
    public Task<TValue> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        List<TKey>? full = null;
        var startFlusher = false;
        TaskCompletionSource<TValue>? completion;
        lock (_gate)
        {
            if (!_known.TryGetValue(key, out completion))
            {
                completion = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                _known.Add(key, completion);
                _pending.Add(key);
                _lastArrival = Environment.TickCount64;
                if (_pending.Count >= _maxBatchSize)
                {
                    full = TakePending();
                }
                else if (!_flusherRunning)
                {
                    _flusherRunning = true;
                    startFlusher = true;
                }
            }
        }

        if (full is not null)
        {
            _ = RunBatchAsync(full);
        }

        if (startFlusher)
        {
            _ = FlushWhenQuietAsync();
        }

        return completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Cancels the batches in flight; their callers fail with <see cref="OperationCanceledException"/>.</summary>
    public void Dispose()
    {
        if (!_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
        }
    }

    private List<TKey> TakePending()
    {
        var batch = _pending.GetRange(0, Math.Min(_maxBatchSize, _pending.Count));
        _pending.RemoveRange(0, batch.Count);
        return batch;
    }

    /// <summary>Sends what is pending once arrivals pause (or the first pending key has waited MaxHold).</summary>
    private async Task FlushWhenQuietAsync()
    {
        var holdStarted = Environment.TickCount64;
        var quietMs = (long)_options.QuietPeriod.TotalMilliseconds;
        var holdMs = (long)_options.MaxHold.TotalMilliseconds;
        while (true)
        {
            try
            {
                await Task.Delay(_options.QuietPeriod, _disposed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                FailPending();
                return;
            }

            var batches = new List<List<TKey>>();
            lock (_gate)
            {
                var now = Environment.TickCount64;
                if (_pending.Count == 0)
                {
                    _flusherRunning = false;
                    return;
                }

                if (now - _lastArrival < quietMs && now - holdStarted < holdMs)
                {
                    continue;
                }

                while (_pending.Count > 0)
                {
                    batches.Add(TakePending());
                }

                _flusherRunning = false;
            }

            foreach (var batch in batches)
            {
                _ = RunBatchAsync(batch);
            }

            return;
        }
    }

    private async Task RunBatchAsync(List<TKey> keys)
    {
        IReadOnlyDictionary<TKey, StoreResult<TValue>>? results = null;
        Exception? failure = null;
        try
        {
            await _batchSlots.WaitAsync(_disposed.Token).ConfigureAwait(false);
            try
            {
                results = await _fetchBatch(keys, _disposed.Token).ConfigureAwait(false);
            }
            finally
            {
                _batchSlots.Release();
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        foreach (var key in keys)
        {
            TaskCompletionSource<TValue> completion;
            lock (_gate)
            {
                completion = _known[key];
                _known.Remove(key);
            }

            if (failure is OperationCanceledException)
            {
                completion.TrySetCanceled();
            }
            else if (failure is not null)
            {
                completion.TrySetException(failure);
            }
            else if (results!.TryGetValue(key, out var result))
            {
                if (result.Error is { } error)
                {
                    completion.TrySetException(error);
                }
                else
                {
                    completion.TrySetResult(result.Value);
                }
            }
            else
            {
                completion.TrySetException(new StoreException(
                    StoreFailureKind.Unavailable,
                    $"the store's batch reply did not mention {key}",
                    "Run again; if it persists, report it with the plugin's debug log."));
            }
        }
    }

    private void FailPending()
    {
        lock (_gate)
        {
            foreach (var key in _pending)
            {
                _known[key].TrySetCanceled();
                _known.Remove(key);
            }

            _pending.Clear();
            _flusherRunning = false;
        }
    }
}
