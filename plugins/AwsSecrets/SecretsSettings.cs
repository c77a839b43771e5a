using System.Globalization;
using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>The plugin's own switches (credentials, region and endpoint come from the AWS chains), as AWSPARAMSTR names its twins.</summary>
internal sealed record SecretsSettings(bool Batching, StoreBatcherOptions BatchWindow, StoreException? Problem)
{
    /// <summary><c>off</c> (or false/0): one GetSecretValue per token, as configmanager does (for comparison and benchmarks).</summary>
    public const string BatchingVariable = "CONFIGMANAGER_AWSSECRETS_BATCHING";

    /// <summary>
    /// How long (ms) a partly filled batch waits for another token: default 3 (the SDK's default); the hold is at most
    /// 10 times that (at least the SDK's 50 ms). A tuning knob; the defaults already meet the batching rule.
    /// </summary>
    public const string BatchWindowVariable = "CONFIGMANAGER_AWSSECRETS_BATCH_WINDOW_MS";

    public static SecretsSettings FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var batching = true;
        StoreException? problem = null;
        switch (environment(BatchingVariable)?.Trim().ToLowerInvariant())
        {
            case null or "" or "on" or "true" or "1":
                break;
            case "off" or "false" or "0":
                batching = false;
                break;
            case var other:
                problem = Bad($"{BatchingVariable}='{other}' is neither on nor off", $"Set {BatchingVariable}=off to switch batching off, or unset it.");
                break;
        }

        var window = StoreBatcherOptions.Default;
        if (environment(BatchWindowVariable) is { Length: > 0 } text)
        {
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 60_000)
            {
                window = window with { QuietPeriod = TimeSpan.FromMilliseconds(ms), MaxHold = TimeSpan.FromMilliseconds(Math.Max(StoreBatcherOptions.Default.MaxHold.TotalMilliseconds, 10.0 * ms)) };
            }
            else
            {
                problem ??= Bad($"{BatchWindowVariable}='{text}' is not a number of milliseconds (0-60000)", $"Unset {BatchWindowVariable} (default 3 ms).");
            }
        }

        return new SecretsSettings(batching, window, problem);
    }

    private static StoreException Bad(string description, string remedy) =>
        AwsFailure.Coded(SecretsErrorCodes.BadSetting, new StoreException(StoreFailureKind.Misconfigured, description, remedy));
}
