namespace ConfigManager.PluginSdk.Stores;

/// <summary>
/// Coalesces the Value calls that arrive together into the store's batch API (SSM GetParameters, Secrets Manager
/// BatchGetSecretValue, ...). A batch is sent as soon as it is full. A partly filled batch is sent once no new key
/// arrived for <see cref="StoreBatcherOptions.QuietPeriod"/> and no more company is due, at the latest
/// <see cref="StoreBatcherOptions.MaxHold"/> after its first key. Company is due, Nagle-like, while a batch is in flight
/// or while the callers a finished batch answered have not been replaced yet: a host with a bounded number of calls in
/// flight sends its next calls as the last ones are answered, and those belong in one batch. A lone call with nothing in
/// flight waits the quiet period only. Time the batcher itself was starved of CPU (its timer woke it late) does not count
/// as waiting, since arrivals may be queued unread behind it; a hold never exceeds four MaxHolds of wall-clock time.
/// The same key asked twice while pending or in flight is fetched once. A key the reply omits fails alone; a batch
/// that throws fails every key in it.
/// </summary>
/// <typeparam name="TKey">What identifies one request (a name plus its selector, say).</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class StoreBatcher<TKey, TValue> : IDisposable
    where TKey : notnull
{
    /// <summary>Wall-clock bound on a hold, in MaxHolds, however much of it the process spent starved.</summary>
    private const int HardHoldFactor = 4;

    /// <summary>The shortest wait between two looks (the step when the quiet period is zero, and the look after a starved one).</summary>
    private static readonly TimeSpan s_minimumStep = TimeSpan.FromMilliseconds(1);

    private readonly int _maxBatchSize;
    private readonly Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, StoreResult<TValue>>>> _fetchBatch;
    private readonly StoreBatcherOptions _options;
    private readonly TimeProvider _time;

    // The wait between two looks while company is due, and how late a wake-up may be before it counts as starved:
    // the quiet period, at least the minimum step.
    private readonly TimeSpan _step;
    private readonly SemaphoreSlim _batchSlots;
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _gate = new();
    private readonly Dictionary<TKey, TaskCompletionSource<TValue>> _known;
    private readonly List<TKey> _pending = [];
    private long _firstPending;
    private long _lastArrival;
    private int _batchesInFlight;
    private int _unreplaced;
    private long _lastAnswered;
    private bool _flusherRunning;

    // Time the flusher woke up late (the process was starved of CPU, so arrivals may be queued unread) does not count as
    // waiting: each timestamp above remembers the starved total at its moment, and WaitedSince subtracts what came after.
    private TimeSpan _starved;
    private TimeSpan _starvedAtFirstPending;
    private TimeSpan _starvedAtLastArrival;
    private TimeSpan _starvedAtLastAnswered;

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
        _time = _options.TimeProvider;
        _step = _options.QuietPeriod > s_minimumStep ? _options.QuietPeriod : s_minimumStep;
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
            // Each arrival replaces one answered caller of the host's bounded set of calls in flight.
            _unreplaced = Math.Max(0, _unreplaced - 1);
            if (!_known.TryGetValue(key, out completion))
            {
                completion = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                _known.Add(key, completion);
                _lastArrival = _time.GetTimestamp();
                _starvedAtLastArrival = _starved;
                if (_pending.Count == 0)
                {
                    _firstPending = _lastArrival;
                    _starvedAtFirstPending = _starved;
                }

                _pending.Add(key);
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
            _ = FlushWhenDueAsync();
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

    /// <summary>Takes the next batch off the pending list; the caller runs it (counted in flight from here).</summary>
    private List<TKey> TakePending()
    {
        var batch = _pending.GetRange(0, Math.Min(_maxBatchSize, _pending.Count));
        _pending.RemoveRange(0, batch.Count);
        _batchesInFlight++;
        return batch;
    }

    /// <summary>Sends what is pending once it is due (see the class summary); until then looks again every step.</summary>
    private async Task FlushWhenDueAsync()
    {
        var wait = _options.QuietPeriod;
        while (true)
        {
            var asked = wait > s_minimumStep ? wait : s_minimumStep;
            var askedAt = _time.GetTimestamp();
            try
            {
                await Task.Delay(asked, _time, _disposed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                FailPending();
                return;
            }

            var batches = new List<List<TKey>>();
            lock (_gate)
            {
                var late = _time.GetElapsedTime(askedAt) - asked;
                if (late > _step && _pending.Count > 0)
                {
                    _starved += late;
                }

                if (_pending.Count == 0)
                {
                    _flusherRunning = false;
                    return;
                }

                // After a starved wake-up look once more, so arrivals queued meanwhile get in first; a hard bound of
                // HardHoldFactor holds keeps a process starved for good from holding forever.
                wait = late > _step && _time.GetElapsedTime(_firstPending) < _options.MaxHold * HardHoldFactor
                    ? s_minimumStep
                    : NextLook();
                if (wait > TimeSpan.Zero)
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

    /// <summary>Zero when the pending keys are due now; otherwise how long until the next look. Called under the gate.</summary>
    private TimeSpan NextLook()
    {
        var holdLeft = _options.MaxHold - WaitedSince(_firstPending, _starvedAtFirstPending);
        if (holdLeft <= TimeSpan.Zero || _time.GetElapsedTime(_firstPending) >= _options.MaxHold * HardHoldFactor)
        {
            return TimeSpan.Zero;
        }

        var quietLeft = _options.QuietPeriod - WaitedSince(_lastArrival, _starvedAtLastArrival);
        if (quietLeft > TimeSpan.Zero)
        {
            return quietLeft < holdLeft ? quietLeft : holdLeft;
        }

        var companyDue = _batchesInFlight > 0
            || (_unreplaced > 0 && WaitedSince(_lastAnswered, _starvedAtLastAnswered) < _options.MaxHold);
        if (!companyDue)
        {
            return TimeSpan.Zero;
        }

        return _step < holdLeft ? _step : holdLeft;
    }

    /// <summary>Time since <paramref name="stamp"/>, less the starved time observed since.</summary>
    private TimeSpan WaitedSince(long stamp, TimeSpan starvedAtStamp) => _time.GetElapsedTime(stamp) - (_starved - starvedAtStamp);

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

        lock (_gate)
        {
            _batchesInFlight--;
            _unreplaced += keys.Count;
            _lastAnswered = _time.GetTimestamp();
            _starvedAtLastAnswered = _starved;
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
