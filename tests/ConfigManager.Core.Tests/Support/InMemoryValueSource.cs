using System.Collections.Concurrent;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Resolution;

namespace ConfigManager.Core.Tests.Support;

/// <summary>A value source backed by a dictionary that counts every request (to prove fan-in) and peak concurrency.</summary>
internal sealed class InMemoryValueSource : IValueSource
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Exception> _failures = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _peak;

    public ConcurrentQueue<ValueRequest> Requests { get; } = new();

    public TimeSpan Delay { get; init; }

    public int PeakConcurrency => _peak;

    public InMemoryValueSource With(string prefix, string storePath, string value)
    {
        _values[prefix + "\0" + storePath] = value;
        return this;
    }

    public InMemoryValueSource Failing(string prefix, string storePath, Exception failure)
    {
        _failures[prefix + "\0" + storePath] = failure;
        return this;
    }

    public int CallsFor(string prefix, string storePath) => Requests.Count(r => r.Prefix == prefix && r.StorePath == storePath);

    public async Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = _peak) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }

        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            var key = request.Prefix + "\0" + request.StorePath;
            if (_failures.TryGetValue(key, out var failure))
            {
                throw failure;
            }

            if (_values.TryGetValue(key, out var value))
            {
                return request.Metadata.Length == 0 ? value : value + "#" + request.Metadata;
            }

            throw new ConfigManagerException("CM2099", $"no value for {request.Prefix} {request.StorePath}", "/plugins/test-plugin");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
