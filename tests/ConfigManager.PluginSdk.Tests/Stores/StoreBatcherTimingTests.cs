using System.Collections.Concurrent;
using ConfigManager.PluginSdk.Stores;
using ConfigManager.PluginSdk.Tests.Support;

namespace ConfigManager.PluginSdk.Tests.Stores;

/// <summary>
/// StoreBatcher's timing with the default options on a manual clock: a partly filled batch waits, Nagle-like, while a
/// batch is in flight or answered callers are not yet replaced, never past MaxHold; a lone call waits the quiet period.
/// The clock moves only when the test advances it, so no outcome depends on how loaded the machine is.
/// </summary>
[TestClass]
public sealed class StoreBatcherTimingTests
{
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(30);

    [TestMethod]
    public async Task A_lone_call_with_nothing_in_flight_goes_out_after_the_quiet_period()
    {
        var store = new Store(release: true);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        var call = batcher.GetAsync("only", CancellationToken.None);
        var sentAt = await AdvanceUntilSentAsync(clock, store, batches: 1);

        Assert.AreEqual(StoreBatcherOptions.Default.QuietPeriod, sentAt);
        Assert.AreEqual("v-only", await call);
        CollectionAssert.AreEqual(new[] { "only" }, store.Batches.Single().ToArray());
    }

    [TestMethod]
    public async Task A_partial_batch_keeps_filling_while_a_batch_is_in_flight()
    {
        var store = new Store(release: false);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        var first = Keys(0, 10).Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();
        Assert.HasCount(1, store.Batches, "a full batch goes out at once");
        var next = Keys(10, 3).Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();

        // Well past the quiet period, short of the hold: nothing more is sent while the first batch is in flight.
        await AdvanceAsync(clock, store, StoreBatcherOptions.Default.MaxHold - TimeSpan.FromMilliseconds(2));
        Assert.HasCount(1, store.Batches);

        next.AddRange(Keys(13, 7).Select(key => batcher.GetAsync(key, CancellationToken.None)));
        Assert.HasCount(2, store.Batches);
        CollectionAssert.AreEqual(Keys(10, 10).ToArray(), store.Batches[1].ToArray());
        store.ReleaseAll();
        Assert.HasCount(20, await Task.WhenAll(first.Concat(next)));
    }

    [TestMethod]
    public async Task MaxHold_bounds_the_wait_for_company()
    {
        var store = new Store(release: false);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        _ = Keys(0, 10).Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();
        var held = Keys(10, 3).Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();
        var sentAt = await AdvanceUntilSentAsync(clock, store, batches: 2);

        Assert.AreEqual(StoreBatcherOptions.Default.MaxHold, sentAt);
        CollectionAssert.AreEqual(Keys(10, 3).ToArray(), store.Batches[1].ToArray());
        store.ReleaseAll();
        Assert.HasCount(3, await Task.WhenAll(held));
    }

    [TestMethod]
    public async Task Callers_answered_but_not_yet_replaced_keep_a_partial_batch_filling()
    {
        var store = new Store(release: true);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        await Task.WhenAll(Keys(0, 10).Select(key => batcher.GetAsync(key, CancellationToken.None)));
        // The host's freed slots send their next calls: four arrive, then a stall longer than the quiet period.
        var refill = Keys(10, 4).Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();
        await AdvanceAsync(clock, store, StoreBatcherOptions.Default.QuietPeriod * 5);
        Assert.HasCount(1, store.Batches, "six answered callers are still to be replaced");

        refill.AddRange(Keys(14, 6).Select(key => batcher.GetAsync(key, CancellationToken.None)));
        Assert.HasCount(2, store.Batches);
        Assert.HasCount(10, store.Batches[1]);
        Assert.HasCount(10, await Task.WhenAll(refill));
    }

    [TestMethod]
    public async Task Once_every_answered_caller_is_replaced_a_partial_batch_waits_only_the_quiet_period()
    {
        var store = new Store(release: true);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        await Task.WhenAll(Keys(0, 4).Select(key => batcher.GetAsync(key, CancellationToken.None)).Append(Sent(clock, store, 1)));
        var replaced = Keys(4, 4).Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();
        var started = clock.Elapsed;
        var sentAt = await AdvanceUntilSentAsync(clock, store, batches: 2);

        Assert.AreEqual(StoreBatcherOptions.Default.QuietPeriod, sentAt - started);
        Assert.HasCount(4, await Task.WhenAll(replaced));
    }

    [TestMethod]
    public async Task Answered_callers_nobody_replaces_stop_counting_after_MaxHold()
    {
        var store = new Store(release: true);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        await Task.WhenAll(Keys(0, 10).Select(key => batcher.GetAsync(key, CancellationToken.None)));
        clock.Advance(StoreBatcherOptions.Default.MaxHold);
        var lone = batcher.GetAsync("late", CancellationToken.None);
        var started = clock.Elapsed;
        var sentAt = await AdvanceUntilSentAsync(clock, store, batches: 2);

        Assert.AreEqual(StoreBatcherOptions.Default.QuietPeriod, sentAt - started);
        Assert.AreEqual("v-late", await lone);
    }

    [TestMethod]
    public async Task A_look_that_woke_up_late_is_followed_by_another_before_a_lone_call_goes()
    {
        var store = new Store(release: true);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        var call = batcher.GetAsync("only", CancellationToken.None);
        await WaitForAsync(() => clock.ArmedTimers > 0, "the batcher parked on the clock");
        // The process was starved: its 3 ms timer fires 40 ms late, when a second key may be queued unread.
        clock.Advance(TimeSpan.FromMilliseconds(43));
        await WaitForAsync(() => clock.ArmedTimers > 0, "the batcher looked again");
        Assert.IsEmpty(store.Batches);
        var second = batcher.GetAsync("queued", CancellationToken.None);
        await AdvanceUntilSentAsync(clock, store, batches: 1);

        CollectionAssert.AreEqual(new[] { "only", "queued" }, store.Batches.Single().ToArray());
        Assert.AreEqual("v-only", await call);
        Assert.AreEqual("v-queued", await second);
    }

    [TestMethod]
    public async Task Starved_time_does_not_use_up_the_hold_but_four_holds_of_wall_time_do()
    {
        var store = new Store(release: false);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        _ = Keys(0, 10).Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();
        _ = batcher.GetAsync("held", CancellationToken.None);
        await WaitForAsync(() => clock.ArmedTimers > 0, "the batcher parked on the clock");
        clock.Advance(StoreBatcherOptions.Default.MaxHold);
        await WaitForAsync(() => clock.ArmedTimers > 0, "the batcher looked again");
        Assert.HasCount(1, store.Batches, "a hold's worth of wall time, all of it starved, is not a hold");

        var sentAt = await AdvanceUntilSentAsync(clock, store, batches: 2);
        // The first 3 ms asked for were waited; the 47 ms it woke up late were not.
        Assert.AreEqual((StoreBatcherOptions.Default.MaxHold * 2) - StoreBatcherOptions.Default.QuietPeriod, sentAt, "the hold runs on in time the batcher was awake");

        _ = Keys(20, 10).Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();
        var started = clock.Elapsed;
        _ = batcher.GetAsync("starved", CancellationToken.None);
        for (var look = 0; store.Batches.Count < 4; look++)
        {
            Assert.IsLessThan(100, look, "the hard bound did not end the hold");
            await WaitForAsync(() => clock.ArmedTimers > 0 || store.Batches.Count == 4, "the batcher parked on the clock");
            clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.IsLessThanOrEqualTo(StoreBatcherOptions.Default.MaxHold * 4 + TimeSpan.FromMilliseconds(20), clock.Elapsed - started);
        store.ReleaseAll();
    }

    [TestMethod]
    [DataRow(100, 10, 40, 10)]
    [DataRow(100, 20, 40, 5)]
    [DataRow(500, 10, 40, 50)]
    [DataRow(100, 20, 500, 5)]
    public async Task A_host_refilling_its_bounded_set_of_calls_in_flight_gets_only_full_batches(int keys, int batchSize, int hostConcurrency, int expectedBatches)
    {
        var store = new Store(release: true);
        var clock = new ManualClock();
        using var batcher = store.Batcher(batchSize, clock);

        // As Core's ValueFetcher does: every request waits for one of hostConcurrency slots, and a slot freed by an answer sends the next.
        using var slots = new SemaphoreSlim(hostConcurrency, hostConcurrency);
        var values = await Task.WhenAll(Keys(0, keys).Select(async key =>
        {
            await slots.WaitAsync();
            try
            {
                return await batcher.GetAsync(key, CancellationToken.None);
            }
            finally
            {
                slots.Release();
            }
        }));

        Assert.HasCount(keys, values);
        Assert.AreEqual(expectedBatches, store.Batches.Count);
        Assert.IsTrue(store.Batches.All(batch => batch.Count == batchSize));
        Assert.AreEqual(TimeSpan.Zero, clock.Elapsed, "full batches never wait for the clock");
    }

    [TestMethod]
    public async Task The_tail_of_a_run_that_does_not_fill_a_batch_waits_at_most_MaxHold()
    {
        var store = new Store(release: true);
        var clock = new ManualClock();
        using var batcher = store.Batcher(10, clock);

        using var slots = new SemaphoreSlim(40, 40);
        var all = Task.WhenAll(Keys(0, 95).Select(async key =>
        {
            await slots.WaitAsync();
            try
            {
                return await batcher.GetAsync(key, CancellationToken.None);
            }
            finally
            {
                slots.Release();
            }
        }));
        await WaitForAsync(() => store.Batches.Count == 9 && clock.ArmedTimers > 0, "nine full batches, a tail held");
        var sentAt = await AdvanceUntilSentAsync(clock, store, batches: 10);

        Assert.HasCount(95, await all);
        Assert.HasCount(5, store.Batches[9]);
        Assert.IsLessThanOrEqualTo(StoreBatcherOptions.Default.MaxHold, sentAt);
    }

    private static IEnumerable<string> Keys(int from, int count) => Enumerable.Range(from, count).Select(i => "k" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));

    private static async Task Sent(ManualClock clock, Store store, int batches) => await AdvanceUntilSentAsync(clock, store, batches);

    /// <summary>Advances the clock 1 ms at a time until the store has seen <paramref name="batches"/> calls; returns the clock then.</summary>
    private static async Task<TimeSpan> AdvanceUntilSentAsync(ManualClock clock, Store store, int batches)
    {
        var limit = clock.Elapsed + StoreBatcherOptions.Default.MaxHold * 4;
        while (store.Batches.Count < batches)
        {
            Assert.IsLessThan(limit, clock.Elapsed, $"{store.Batches.Count} of {batches} calls sent by {clock.Elapsed.TotalMilliseconds} ms");
            await AdvanceAsync(clock, store, s_step);
        }

        return clock.Elapsed;
    }

    /// <summary>Advances in 1 ms steps; after each step that fired a timer, waits until the batcher has looked again (re-armed or sent).</summary>
    private static async Task AdvanceAsync(ManualClock clock, Store store, TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += s_step)
        {
            var sent = store.Batches.Count;
            await WaitForAsync(() => clock.ArmedTimers > 0 || store.Batches.Count > sent, "the batcher parked on the clock");
            if (clock.Advance(s_step) > 0)
            {
                await WaitForAsync(() => clock.ArmedTimers > 0 || store.Batches.Count > sent, "the batcher looked again");
            }
        }
    }

    /// <summary>Polls a condition the batcher's own threads make true; the 30 s bound only turns a hang into a failure.</summary>
    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(s_settle);
        while (!condition())
        {
            Assert.IsFalse(timeout.IsCancellationRequested, "timed out waiting for " + what);
            await Task.Yield();
            await Task.Delay(1);
        }
    }

    /// <summary>Records each batch; answers at once, or (release: false) when the test releases it.</summary>
    private sealed class Store(bool release)
    {
        private readonly ConcurrentQueue<IReadOnlyList<string>> _batches = new();
        private readonly TaskCompletionSource _released = NewReleased(release);

        public IReadOnlyList<IReadOnlyList<string>> Batches => [.. _batches];

        public void ReleaseAll() => _released.TrySetResult();

        public StoreBatcher<string, string> Batcher(int size, ManualClock clock) =>
            new(size, FetchAsync, StoreBatcherOptions.Default with { TimeProvider = clock });

        private static TaskCompletionSource NewReleased(bool release)
        {
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (release)
            {
                released.SetResult();
            }

            return released;
        }

        private async Task<IReadOnlyDictionary<string, StoreResult<string>>> FetchAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
        {
            _batches.Enqueue(keys);
            await _released.Task.WaitAsync(cancellationToken);
            return keys.ToDictionary(key => key, key => StoreResult<string>.Success("v-" + key));
        }
    }
}
