using ConfigManager.Core;
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
    public static async Task<(TokenValuesResult Result, IReadOnlyCollection<string> Log, IReadOnlyList<string> Trapped)> ResolveAsync(
        IReadOnlyList<string> tokens,
        IEnumerable<(string Name, string? Value)> environment,
        int maxConcurrency = 128,
        bool autoMtls = true)
    {
        await using var trap = ProxyTrap.Start();
        var run = await StorePluginRun.ResolveAsync(
            CSharpPlugin.AwsSecrets, tokens, environment.Concat(trap.Environment), autoMtls: autoMtls,
            engine: new EngineOptions { MaxConcurrencyPerPrefix = maxConcurrency });
        return (run.Result, run.Log, trap.Attempts);
    }

    /// <summary>The token's value, or a failure listing the run's diagnostics (names only, never values).</summary>
    public static string ValueOf(TokenValuesResult result, string token) =>
        result.Values.SingleOrDefault(pair => pair.Token.Text == token) is { Token: not null } found
            ? found.Value
            : throw new AssertFailedException($"no value for {token}: {string.Join("\n", result.Diagnostics)}");
}
