// hostbench: the .NET twin of perf/gohost. Fetches one value, or times launch → handshake → first value →
// shutdown (-bench launch), sequential calls (-bench seq) and concurrent calls (-bench conc), inside
// the process so runtime start-up is excluded. Flags and output are gohost's (perf/README.md).
using ConfigManager.Core.Resolution;
using ConfigManager.HostBench;

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: hostbench -plugin PATH [-mtls] [-token T] [-metadata M] [-bench launch|seq|conc] [-n N] [-c C] [-hold]");
    return 2;
}

using var layout = TemporaryPluginLayout.Create(options.PluginPath);
try
{
    switch (options.Bench)
    {
        case null:
            await using (var host = layout.NewHost(options.Mtls))
            {
                Console.WriteLine(await host.GetValueAsync(new ValueRequest(TemporaryPluginLayout.Prefix, options.Token, options.Metadata), CancellationToken.None));
                if (options.Hold)
                {
                    // Used by the orphan tests: the process is then killed by a signal, not disposed.
                    await Task.Delay(Timeout.Infinite);
                }
            }

            return 0;
        case "launch":
            Console.WriteLine(Json.Object(("host", HostLabel()), ("mtls", options.Mtls), ("launch", await Measure.LaunchAsync(layout, options))));
            return 0;
        case "seq":
        case "conc":
            await using (var host = layout.NewHost(options.Mtls))
            {
                var result = options.Bench == "seq"
                    ? await Measure.SequentialAsync(host, options)
                    : await Measure.ConcurrentAsync(host, options);
                Console.WriteLine(Json.Object(("host", HostLabel()), ("mtls", options.Mtls), (options.Bench == "seq" ? "sequential" : "concurrent", result)));
            }

            return 0;
        default:
            Console.Error.WriteLine($"hostbench: unknown -bench {options.Bench} (launch, seq, conc)");
            return 2;
    }
}
catch (ConfigManager.Core.Diagnostics.ConfigManagerException ex)
{
    Console.Error.WriteLine($"hostbench: {ex.Code}: {ex.Message}");
    return 1;
}

// Socket completions run inline on the epoll thread with this (process-wide) switch: one thread hop less per call.
static string HostLabel() =>
    Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1" ? "dotnet-inline" : "dotnet";
