using ConfigManager.Core;
using ConfigManager.Core.Logging;
using ConfigManager.TestSupport;

namespace ConfigManager.StorePlugins.Tests;

/// <summary>What one <see cref="StorePluginRun.ResolveAsync"/> gave: the engine's result, every host log line, and how many plugin processes it launched.</summary>
internal sealed record StoreRun(TokenValuesResult Result, IReadOnlyCollection<string> Log, int Launches);

/// <summary>
/// The one way these tests run a published store plugin through Core: a <see cref="PublishedPluginHost"/> (a real plugin
/// process, real gRPC) and a recording log sink so every line can be searched for leaked values.
/// The plugin inherits this process's environment, so the variables a run needs are set for the run only and restored
/// afterwards; the assembly runs one test at a time (<c>DoNotParallelize</c>) and runs here are serialised too.
/// </summary>
internal static class StorePluginRun
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>
    /// Publishes <paramref name="plugin"/> if needed and resolves <paramref name="tokens"/> in one host run. Every name in
    /// <paramref name="cleared"/> is unset for the run (so no developer credential or proxy leaks in), then
    /// <paramref name="environment"/> is applied (a null value unsets).
    /// </summary>
    public static async Task<StoreRun> ResolveAsync(
        CSharpPlugin plugin,
        IReadOnlyList<string> tokens,
        IEnumerable<(string Name, string? Value)> environment,
        IEnumerable<string>? cleared = null,
        bool autoMtls = true,
        EngineOptions? engine = null)
    {
        await CSharpPlugins.PublishAsync(plugin);
        await s_gate.WaitAsync();
        try
        {
            using var variables = new ProcessEnvironment();
            variables.Set((cleared ?? []).Select(name => new KeyValuePair<string, string?>(name, null)));
            variables.Set(environment.Select(pair => new KeyValuePair<string, string?>(pair.Name, pair.Value)));

            var log = new RecordingLogSink();
            var mask = new SecretMask();
            TokenValuesResult result;
            int launches;
            await using (var host = PublishedPluginHost.Create(log, mask, autoMtls))
            {
                result = await TokenEngine.ResolveTokensAsync(tokens, engine ?? new EngineOptions(), host, log, mask, CancellationToken.None);
                launches = host.LaunchCount;
            }

            // Read the log after the host is gone: the plugin's last stderr lines reach the sink through the host's
            // reader, which a loaded machine may not have run yet when the values come back.
            return new StoreRun(result, log.Lines, launches);
        }
        finally
        {
            s_gate.Release();
        }
    }
}
