using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Core.Resolution;

/// <summary>
/// Runs a plan's requests concurrently, at most <c>maxConcurrencyPerPrefix</c> at a time per prefix (one
/// plugin process serves a prefix). Failures become outcomes; only cancellation is thrown.
/// </summary>
public static class ValueFetcher
{
    public static async Task<IReadOnlyList<FetchOutcome>> FetchAsync(
        ResolutionPlan plan, IValueSource source, int maxConcurrencyPerPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrencyPerPrefix, 1);
        var gates = plan.Requests
            .Select(r => r.Request.Prefix)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(p => p, _ => new SemaphoreSlim(maxConcurrencyPerPrefix, maxConcurrencyPerPrefix), StringComparer.Ordinal);
        try
        {
            var tasks = plan.Requests.Select(r => FetchOneAsync(r.Request, source, gates[r.Request.Prefix], cancellationToken)).ToArray();
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            foreach (var gate in gates.Values)
            {
                gate.Dispose();
            }
        }
    }

    private static async Task<FetchOutcome> FetchOneAsync(
        ValueRequest request, IValueSource source, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A slot freed by a cancelled request must not start another one.
            cancellationToken.ThrowIfCancellationRequested();
            var value = await source.GetValueAsync(request, cancellationToken).ConfigureAwait(false);
            return new FetchOutcome(value ?? "", null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ConfigManagerException e)
        {
            return new FetchOutcome(null, e);
        }
        catch (Exception e)
        {
            return new FetchOutcome(null, new ConfigManagerException(
                ResolutionErrorCodes.ValueSourceFailed,
                $"The value source failed for {request.Prefix} \"{request.StorePath}\" ({e.GetType().Name}: {e.Message}).",
                inner: e));
        }
        finally
        {
            gate.Release();
        }
    }
}
