using System.Collections.Concurrent;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.PluginSdk.Tests.Stores;

/// <summary>StoreBatcher: concurrent Value calls become few store calls; each key keeps its own outcome.</summary>
[TestClass]
public sealed class StoreBatcherTests
{
    [TestMethod]
    public async Task A_hundred_concurrent_keys_take_at_most_ten_calls_of_ten()
    {
        var batches = new ConcurrentBag<IReadOnlyList<string>>();
        using var batcher = new StoreBatcher<string, string>(10, (keys, _) =>
        {
            batches.Add(keys);
            return Task.FromResult(Answer(keys, key => StoreResult<string>.Success("value-of-" + key)));
            // Full batches go out at once; a long quiet period keeps a scheduling stall on a busy machine from splitting one.
        }, new StoreBatcherOptions { QuietPeriod = TimeSpan.FromSeconds(2), MaxHold = TimeSpan.FromSeconds(5) });

        var names = Enumerable.Range(0, 100).Select(i => "/app/p" + i).ToList();
        var values = await Task.WhenAll(names.Select(name => batcher.GetAsync(name, CancellationToken.None)));

        CollectionAssert.AreEqual(names.Select(name => "value-of-" + name).ToList(), values);
        Assert.IsTrue(batches.Count <= 10, $"{batches.Count} calls");
        Assert.IsTrue(batches.All(batch => batch.Count <= 10));
        Assert.AreEqual(100, batches.Sum(batch => batch.Count));
    }

    [TestMethod]
    public async Task Batch_size_one_switches_batching_off()
    {
        var batches = new ConcurrentBag<IReadOnlyList<int>>();
        using var batcher = new StoreBatcher<int, int>(1, (keys, _) =>
        {
            batches.Add(keys);
            return Task.FromResult(Answer(keys, key => StoreResult<int>.Success(key * 2)));
        });

        var values = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => batcher.GetAsync(i, CancellationToken.None)));

        CollectionAssert.AreEqual(Enumerable.Range(0, 20).Select(i => i * 2).ToList(), values);
        Assert.AreEqual(20, batches.Count);
    }

    [TestMethod]
    public async Task A_lone_call_is_sent_alone()
    {
        var batches = new ConcurrentBag<IReadOnlyList<string>>();
        using var batcher = new StoreBatcher<string, string>(20, (keys, _) =>
        {
            batches.Add(keys);
            return Task.FromResult(Answer(keys, _ => StoreResult<string>.Success("v")));
        });

        Assert.AreEqual("v", await batcher.GetAsync("only", CancellationToken.None));
        Assert.AreEqual(1, batches.Count);
        CollectionAssert.AreEqual(new[] { "only" }, batches.Single().ToArray());
    }

    [TestMethod]
    public async Task A_lone_call_on_the_system_clock_is_sent_after_the_quiet_period_and_its_latency_is_reported()
    {
        var sentAfter = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var asked = System.Diagnostics.Stopwatch.StartNew();
            var sent = TimeSpan.Zero;
            using var batcher = new StoreBatcher<string, string>(10, (keys, _) =>
            {
                sent = asked.Elapsed;
                return Task.FromResult(Answer(keys, _ => StoreResult<string>.Success("v")));
            });
            Assert.AreEqual("v", await batcher.GetAsync("only", CancellationToken.None));
            Assert.IsGreaterThanOrEqualTo(StoreBatcherOptions.Default.QuietPeriod, sent, "never sooner than the quiet period");
            sentAfter.Add(sent.TotalMilliseconds);
        }

        // Measured, not asserted (a loaded machine only makes it slower): the figure docs/benchmarks.md quotes.
        sentAfter.Sort();
        Console.WriteLine($"lone call sent after: median {sentAfter[10]:F1} ms, min {sentAfter[0]:F1} ms, max {sentAfter[^1]:F1} ms");
    }

    [TestMethod]
    public async Task The_same_key_asked_while_pending_or_in_flight_is_fetched_once()
    {
        var fetched = new ConcurrentBag<string>();
        var release = new TaskCompletionSource();
        using var batcher = new StoreBatcher<string, string>(10, async (keys, _) =>
        {
            foreach (var key in keys)
            {
                fetched.Add(key);
            }

            await release.Task;
            return Answer(keys, key => StoreResult<string>.Success(key.ToUpperInvariant()));
        });

        var first = Enumerable.Range(0, 5).Select(_ => batcher.GetAsync("dup", CancellationToken.None)).ToList();
        await Task.Delay(100);
        var whileInFlight = batcher.GetAsync("dup", CancellationToken.None);
        release.SetResult();

        CollectionAssert.AreEqual(Enumerable.Repeat("DUP", 6).ToList(), await Task.WhenAll(first.Append(whileInFlight)));
        Assert.AreEqual(1, fetched.Count);
    }

    [TestMethod]
    public async Task A_partial_failure_fails_only_its_own_keys()
    {
        using var batcher = new StoreBatcher<string, string>(10, (keys, _) => Task.FromResult(Answer(keys, key => key.StartsWith("bad", StringComparison.Ordinal)
            ? StoreResult<string>.Failure(new StoreException(StoreFailureKind.NotFound, $"parameter {key} not found"))
            : StoreResult<string>.Success("ok"))));

        var good = batcher.GetAsync("good", CancellationToken.None);
        var bad = batcher.GetAsync("bad1", CancellationToken.None);

        Assert.AreEqual("ok", await good);
        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => bad);
        Assert.AreEqual(StoreFailureKind.NotFound, caught.Kind);
        Assert.AreEqual("parameter bad1 not found", caught.Message);
    }

    [TestMethod]
    public async Task A_key_the_reply_omits_fails_alone_and_says_so()
    {
        using var batcher = new StoreBatcher<string, string>(10, (keys, _) =>
            Task.FromResult(Answer(keys.Where(key => key != "lost").ToList(), _ => StoreResult<string>.Success("ok"))));

        var kept = batcher.GetAsync("kept", CancellationToken.None);
        var lost = batcher.GetAsync("lost", CancellationToken.None);

        Assert.AreEqual("ok", await kept);
        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => lost);
        StringAssert.Contains(caught.Message, "did not mention lost");
    }

    [TestMethod]
    public async Task A_batch_that_throws_fails_every_key_in_it()
    {
        var failure = new StoreException(StoreFailureKind.AccessDenied, "not allowed to call GetParameters");
        using var batcher = new StoreBatcher<string, string>(10, (_, _) => Task.FromException<IReadOnlyDictionary<string, StoreResult<string>>>(failure));

        var calls = new[] { "a", "b", "c" }.Select(key => batcher.GetAsync(key, CancellationToken.None)).ToList();

        foreach (var call in calls)
        {
            Assert.AreSame(failure, await Assert.ThrowsExactlyAsync<StoreException>(() => call));
        }
    }

    [TestMethod]
    public async Task Store_calls_in_flight_stay_within_MaxConcurrentBatches()
    {
        var inFlight = 0;
        var peak = 0;
        using var batcher = new StoreBatcher<int, int>(2, async (keys, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(50);
            Interlocked.Decrement(ref inFlight);
            return Answer(keys, key => StoreResult<int>.Success(key));
        }, new StoreBatcherOptions { MaxConcurrentBatches = 2 });

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => batcher.GetAsync(i, CancellationToken.None)));

        Assert.IsTrue(peak <= 2, $"peak {peak}");
        Assert.IsTrue(peak >= 1);
    }

    [TestMethod]
    public async Task One_caller_giving_up_leaves_the_others_their_values()
    {
        var release = new TaskCompletionSource();
        using var batcher = new StoreBatcher<string, string>(10, async (keys, _) =>
        {
            await release.Task;
            return Answer(keys, _ => StoreResult<string>.Success("v"));
        });
        using var cancel = new CancellationTokenSource();

        var impatient = batcher.GetAsync("a", cancel.Token);
        var patient = batcher.GetAsync("b", CancellationToken.None);
        cancel.Cancel();
        release.SetResult();

        await Assert.ThrowsAsync<OperationCanceledException>(() => impatient);
        Assert.AreEqual("v", await patient);
    }

    [TestMethod]
    public async Task Dispose_cancels_batches_in_flight()
    {
        var batcher = new StoreBatcher<string, string>(10, async (keys, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return Answer(keys, _ => StoreResult<string>.Success("never"));
        });

        var call = batcher.GetAsync("a", CancellationToken.None);
        await Task.Delay(100);
        batcher.Dispose();

        await Assert.ThrowsAsync<OperationCanceledException>(() => call);
        Assert.ThrowsExactly<ObjectDisposedException>(() => batcher.GetAsync("b", CancellationToken.None));
    }

    private static IReadOnlyDictionary<TKey, StoreResult<TValue>> Answer<TKey, TValue>(IReadOnlyList<TKey> keys, Func<TKey, StoreResult<TValue>> answer)
        where TKey : notnull => keys.ToDictionary(key => key, answer);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
