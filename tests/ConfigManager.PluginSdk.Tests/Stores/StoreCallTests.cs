using System.Diagnostics;
using System.Net;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.PluginSdk.Tests.Stores;

/// <summary>StoreCall: the one retry/timeout policy every store plugin uses.</summary>
[TestClass]
public sealed class StoreCallTests
{
    private static readonly StoreRetryOptions s_fast = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    [TestMethod]
    [DataRow(StoreFailureKind.Throttled)]
    [DataRow(StoreFailureKind.Unavailable)]
    [DataRow(StoreFailureKind.Timeout)]
    public async Task Transient_failures_are_retried_until_the_store_answers(StoreFailureKind kind)
    {
        var attempts = 0;
        var value = await StoreCall.RunAsync(
            _ => ++attempts < 3 ? throw new StoreException(kind, "reading app/db failed") : Task.FromResult("v"),
            s_fast);

        Assert.AreEqual("v", value);
        Assert.AreEqual(3, attempts);
    }

    [TestMethod]
    [DataRow(StoreFailureKind.NotFound)]
    [DataRow(StoreFailureKind.AccessDenied)]
    [DataRow(StoreFailureKind.InvalidRequest)]
    [DataRow(StoreFailureKind.Misconfigured)]
    public async Task Failures_another_attempt_cannot_fix_are_never_retried(StoreFailureKind kind)
    {
        var attempts = 0;
        var thrown = new StoreException(kind, "secret app/db", "Grant secretsmanager:GetSecretValue on it.");

        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync<string>(_ => { attempts++; throw thrown; }, s_fast));

        Assert.AreSame(thrown, caught);
        Assert.AreEqual(1, attempts);
        Assert.AreEqual("secret app/db. Grant secretsmanager:GetSecretValue on it.", caught.Message);
    }

    [TestMethod]
    public async Task Gives_up_after_the_attempt_bound_and_says_how_often_it_tried()
    {
        var attempts = 0;
        var options = s_fast with { MaxAttempts = 3 };

        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync<string>(
            _ => { attempts++; throw new StoreException(StoreFailureKind.Throttled, "GetParameters for /app/db was throttled", "Lower the request rate."); },
            options));

        Assert.AreEqual(3, attempts);
        Assert.AreEqual(StoreFailureKind.Throttled, caught.Kind);
        StringAssert.StartsWith(caught.Message, "GetParameters for /app/db was throttled (gave up after 3 attempts over ");
        StringAssert.EndsWith(caught.Message, "s). Lower the request rate.");
    }

    [TestMethod]
    public async Task The_delay_the_server_asked_for_is_waited_before_the_next_attempt()
    {
        var attempts = 0;
        var clock = Stopwatch.StartNew();
        var gaps = new List<TimeSpan>();

        await StoreCall.RunAsync(
            _ =>
            {
                gaps.Add(clock.Elapsed);
                return ++attempts < 2
                    ? throw new StoreException(StoreFailureKind.Throttled, "throttled", retryAfter: TimeSpan.FromMilliseconds(400))
                    : Task.FromResult(0);
            },
            s_fast);

        // A lower bound only: a busy machine may wait longer, never shorter.
        Assert.IsTrue(gaps[1] - gaps[0] >= TimeSpan.FromMilliseconds(390), $"waited {(gaps[1] - gaps[0]).TotalMilliseconds} ms");
    }

    [TestMethod]
    public async Task A_server_delay_beyond_the_budget_fails_at_once_instead_of_sleeping_past_it()
    {
        var attempts = 0;
        var options = s_fast with { TotalBudget = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();

        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync<int>(
            _ => { attempts++; throw new StoreException(StoreFailureKind.Throttled, "throttled", retryAfter: TimeSpan.FromMinutes(10)); },
            options));

        Assert.AreEqual(1, attempts);
        Assert.AreEqual(StoreFailureKind.Throttled, caught.Kind);
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromMinutes(1));
    }

    [TestMethod]
    public async Task An_attempt_that_hangs_times_out_and_is_retried_as_a_timeout()
    {
        var attempts = 0;
        var options = s_fast with { AttemptTimeout = TimeSpan.FromMilliseconds(200), MaxAttempts = 2 };

        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync<int>(
            async token => { attempts++; await Task.Delay(Timeout.Infinite, token); return 0; },
            options));

        Assert.AreEqual(2, attempts);
        Assert.AreEqual(StoreFailureKind.Timeout, caught.Kind);
        StringAssert.StartsWith(caught.Message, "the store did not answer within 0.2 s (gave up after 2 attempts");
    }

    [TestMethod]
    public async Task Cancellation_ends_the_call_even_while_it_waits_to_retry()
    {
        using var cancel = new CancellationTokenSource();
        var attempts = 0;
        var options = s_fast with { BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1), TotalBudget = TimeSpan.FromMinutes(10), Jitter = () => 0.99 };

        var call = StoreCall.RunAsync<int>(
            _ => { attempts++; throw new StoreException(StoreFailureKind.Unavailable, "HTTP 503"); },
            options,
            cancel.Token);
        await Task.Delay(100);
        cancel.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() => call);
        Assert.AreEqual(1, attempts);
    }

    [TestMethod]
    public async Task A_refused_connection_is_unavailable_and_retried()
    {
        var port = TestSupport.LoopbackPort.Free();
        using var client = StoreHttp.CreateClient();
        var attempts = 0;

        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync(
            token => { attempts++; return client.GetStringAsync($"http://127.0.0.1:{port}/", token); },
            s_fast with { MaxAttempts = 2 }));

        Assert.AreEqual(2, attempts);
        Assert.AreEqual(StoreFailureKind.Unavailable, caught.Kind);
        StringAssert.StartsWith(caught.Message, "could not reach the store: ");
        Assert.IsInstanceOfType<HttpRequestException>(caught.InnerException);
    }

    [TestMethod]
    public async Task An_HTTP_status_exception_is_classified_by_its_status()
    {
        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync<int>(
            _ => throw new HttpRequestException("forbidden", null, HttpStatusCode.Forbidden),
            s_fast));

        Assert.AreEqual(StoreFailureKind.AccessDenied, caught.Kind);
        Assert.AreEqual("the store answered HTTP 403", caught.Message);
    }

    [TestMethod]
    public async Task A_plugin_bug_is_not_dressed_up_as_a_store_failure()
    {
        var attempts = 0;
        await Assert.ThrowsExactlyAsync<NullReferenceException>(() => StoreCall.RunAsync<int>(_ => { attempts++; throw new NullReferenceException(); }, s_fast));
        Assert.AreEqual(1, attempts);
    }

    [TestMethod]
    public void Backoff_is_full_jitter_under_an_exponential_ceiling_capped_at_MaxDelay()
    {
        var options = new StoreRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), Jitter = () => 0.5 };

        Assert.AreEqual(TimeSpan.FromMilliseconds(50), options.Backoff(1));
        Assert.AreEqual(TimeSpan.FromMilliseconds(100), options.Backoff(2));
        Assert.AreEqual(TimeSpan.FromMilliseconds(200), options.Backoff(3));
        Assert.AreEqual(TimeSpan.FromMilliseconds(500), options.Backoff(9));
        Assert.AreEqual(TimeSpan.Zero, (options with { Jitter = () => 0 }).Backoff(4));
    }
}
