using System.Globalization;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>The plugin's own switches (credentials, region and endpoint come from the AWS chains).</summary>
internal sealed record SecretsSettings(bool Batching, StoreBatcherOptions BatchTiming)
{
    /// <summary>CONFIGMANAGER_AWSSECRETS_BATCHING=off (or false/0) sends one GetSecretValue per token, as configmanager does.</summary>
    public const string BatchingVariable = "CONFIGMANAGER_AWSSECRETS_BATCHING";

    /// <summary>CONFIGMANAGER_AWSSECRETS_BATCH_WAIT_MS=N: a partly filled batch waits up to N ms for company (default 3 ms quiet, 25 ms at most).</summary>
    public const string BatchWaitVariable = "CONFIGMANAGER_AWSSECRETS_BATCH_WAIT_MS";

    public static SecretsSettings FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var value = environment(BatchingVariable)?.Trim();
        var off = value is not null && (value.Equals("off", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0");
        var timing = StoreBatcherOptions.Default;
        if (int.TryParse(environment(BatchWaitVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and <= 10_000)
        {
            var wait = TimeSpan.FromMilliseconds(ms);
            timing = timing with { QuietPeriod = wait, MaxHold = wait };
        }

        return new SecretsSettings(Batching: !off, timing);
    }
}
