using System.Globalization;

namespace ConfigManager.PluginSdk.Stores;

/// <summary>
/// The one way a store plugin calls its store: each attempt under a timeout, transient failures retried with
/// exponential backoff and full jitter (or the delay the server asked for), bounded by attempts and a total budget,
/// cancellation honoured throughout. Failures that another attempt cannot fix (not found, access denied, invalid,
/// misconfigured) are never retried.
/// </summary>
public static class StoreCall
{
    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the retry bounds are reached.</summary>
    /// <exception cref="StoreException">The last failure; transient ones say how many attempts were made.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, StoreRetryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        options ??= StoreRetryOptions.Default;
        options.Validate();
        var time = options.TimeProvider;
        var started = time.GetTimestamp();

        for (var number = 1; ; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StoreException failure;
            using (var timeout = new CancellationTokenSource(options.AttemptTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    return await attempt(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (Classify(ex, options) is { } classified)
                {
                    failure = classified;
                }
            }

            if (!failure.IsTransient)
            {
                throw failure;
            }

            var elapsed = time.GetElapsedTime(started);
            if (number >= options.MaxAttempts)
            {
                throw GiveUp(failure, number, elapsed);
            }

            var delay = failure.RetryAfter ?? options.Backoff(number);
            if (elapsed + delay > options.TotalBudget)
            {
                throw GiveUp(failure, number, elapsed);
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Maps what an attempt threw to a store failure; null lets it propagate untouched (a bug in the plugin).</summary>
    private static StoreException? Classify(Exception ex, StoreRetryOptions options) => ex switch
    {
        StoreException store => store,
        OperationCanceledException => new StoreException(
            StoreFailureKind.Timeout,
            "the store did not answer within " + Seconds(options.AttemptTimeout),
            "Check that the endpoint is reachable from this machine (proxy, firewall, private endpoint).",
            innerException: ex),
        HttpRequestException { StatusCode: { } status } http => new StoreException(
            StoreHttp.KindOf(status), $"the store answered HTTP {(int)status}", innerException: http),
        HttpRequestException http => new StoreException(
            StoreFailureKind.Unavailable, "could not reach the store: " + http.Message,
            "Check the endpoint setting and that the store is reachable from this machine.", innerException: http),
        IOException io => new StoreException(
            StoreFailureKind.Unavailable, "the connection to the store failed: " + io.Message, innerException: io),
        _ => null,
    };

    private static StoreException GiveUp(StoreException failure, int attempts, TimeSpan elapsed) =>
        attempts == 1
            ? failure
            : failure.WithDescription($"{failure.Description} (gave up after {attempts} attempts over {Seconds(elapsed)})");

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
