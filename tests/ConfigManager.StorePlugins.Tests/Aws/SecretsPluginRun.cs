using System.Collections.Concurrent;
using ConfigManager.Core;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// Resolves AWSSECRETS tokens through Core's PluginHost, which launches the published NativeAOT plugin as a real
/// process inheriting this process's environment: the AWS variables (and a <see cref="ProxyTrap"/> as HTTP(S)_PROXY,
/// so anything not meant for loopback is caught) are set for the run only; tests of this assembly run one at a time.
/// </summary>
internal static class SecretsPluginRun
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    public static async Task<(TokenValuesResult Result, IReadOnlyCollection<string> Log, IReadOnlyList<string> Trapped)> ResolveAsync(
        IReadOnlyList<string> tokens,
        IEnumerable<(string Name, string? Value)> environment,
        int maxConcurrency = 128,
        bool autoMtls = true)
    {
        await CSharpPlugins.PublishAsync(CSharpPlugin.AwsSecrets);
        await s_gate.WaitAsync();
        await using var trap = ProxyTrap.Start();
        var saved = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, value) in environment.Concat(trap.Environment))
            {
                saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
                Environment.SetEnvironmentVariable(name, value);
            }

            var log = new ConcurrentQueue<string>();
            var mask = new SecretMask();
            ProcessTable.EnsureMarked();
            await using var host = new PluginHost(
                new PluginHostOptions
                {
                    PluginDirectory = CSharpPlugins.LayoutRoot,
                    WorkingDirectory = CSharpPlugins.LayoutRoot,
                    HomeDirectory = CSharpPlugins.LayoutRoot,
                    AutoMtls = autoMtls,
                    HandshakeTimeout = TimeSpan.FromSeconds(30),
                    CallTimeout = TimeSpan.FromSeconds(60),
                },
                new QueueLogSink(log),
                mask);
            var result = await TokenEngine.ResolveTokensAsync(
                tokens, new EngineOptions { MaxConcurrencyPerPrefix = maxConcurrency }, host, new QueueLogSink(log), mask, CancellationToken.None);
            return (result, log, trap.Attempts);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            s_gate.Release();
        }
    }

    /// <summary>The token's value, or a failure listing the run's diagnostics (names only, never values).</summary>
    public static string ValueOf(TokenValuesResult result, string token) =>
        result.Values.SingleOrDefault(pair => pair.Token.Text == token) is { Token: not null } found
            ? found.Value
            : throw new AssertFailedException($"no value for {token}: {string.Join("\n", result.Diagnostics)}");

    private sealed class QueueLogSink(ConcurrentQueue<string> lines) : ILogSink
    {
        public void Log(LogLevel level, string message) => lines.Enqueue($"[{level}] {message}");
    }
}
