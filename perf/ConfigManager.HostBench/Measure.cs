using System.Diagnostics;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Resolution;

namespace ConfigManager.HostBench;

/// <summary>The three measurements, done as perf/gohost does them.</summary>
internal static class Measure
{
    public static async Task<Dictionary<string, double>> LaunchAsync(TemporaryPluginLayout layout, BenchOptions options)
    {
        var samples = new List<TimeSpan>(options.N);
        for (var i = 0; i < options.N; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var host = layout.NewHost(options.Mtls);
            await host.GetValueAsync(Request(options), CancellationToken.None);
            await host.DisposeAsync();
            samples.Add(Stopwatch.GetElapsedTime(start));
        }

        return Summary(samples);
    }

    public static async Task<Dictionary<string, double>> SequentialAsync(PluginHost host, BenchOptions options)
    {
        var request = Request(options);
        for (var i = 0; i < 100; i++)
        {
            await host.GetValueAsync(request, CancellationToken.None);
        }

        var samples = new List<TimeSpan>(options.N);
        var cpu = Environment.CpuUsage.TotalTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < options.N; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await host.GetValueAsync(request, CancellationToken.None);
            samples.Add(Stopwatch.GetElapsedTime(start));
        }

        // CPU of this process only (all threads; the plugin is not counted): steadier than latency on a busy machine.
        var hostCpu = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / options.N;
        var bytes = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / options.N;
        var summary = Summary(samples);
        summary["host_cpu_us_per_call"] = hostCpu;
        summary["host_alloc_bytes_per_call"] = bytes;
        return summary;
    }

    public static async Task<Dictionary<string, double>> ConcurrentAsync(PluginHost host, BenchOptions options)
    {
        var request = Request(options);
        for (var i = 0; i < 100; i++)
        {
            await host.GetValueAsync(request, CancellationToken.None);
        }

        var next = 0;
        var cpu = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, options.C).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= options.N)
            {
                await host.GetValueAsync(request, CancellationToken.None);
            }
        }));
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new Dictionary<string, double>
        {
            ["calls"] = options.N,
            ["in_flight"] = options.C,
            ["elapsed_ms"] = elapsed.TotalMilliseconds,
            ["calls_per_sec"] = options.N / elapsed.TotalSeconds,
            ["host_cpu_us_per_call"] = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / options.N,
        };
    }

    private static ValueRequest Request(BenchOptions options) => new(TemporaryPluginLayout.Prefix, options.Token, options.Metadata);

    private static Dictionary<string, double> Summary(List<TimeSpan> samples)
    {
        var sorted = samples.Order().ToList();
        TimeSpan Percentile(double p) => sorted[Math.Clamp((int)Math.Round(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        return new Dictionary<string, double>
        {
            ["first_us"] = samples[0].TotalMicroseconds,
            ["mean_us"] = samples.Average(s => s.TotalMicroseconds),
            ["p50_us"] = Percentile(0.50).TotalMicroseconds,
            ["p99_us"] = Percentile(0.99).TotalMicroseconds,
            ["min_us"] = sorted[0].TotalMicroseconds,
        };
    }
}
