using ConfigManager.Plugins.AwsShared;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsParamStore;

/// <summary>The plugin's settings from its environment: the SSM endpoint override and the batching switch.</summary>
internal sealed record ParamStoreSettings(Uri? Endpoint, bool Batching, StoreBatcherOptions BatchWindow, StoreException? Problem)
{
    /// <summary>
    /// How long (ms) a partly filled batch waits for another token: default 3 (the SDK's default); the hold is at most
    /// 10 times that (at least the SDK's 50 ms). A tuning knob; the defaults already meet the batching rule.
    /// </summary>
    public const string BatchWindowVariable = "CONFIGMANAGER_AWSPARAMSTR_BATCH_WINDOW_MS";

    /// <summary><c>off</c> (or false/0): one GetParameters call per token, as configmanager does (for comparison and benchmarks).</summary>
    public const string BatchingVariable = "CONFIGMANAGER_AWSPARAMSTR_BATCHING";

    /// <summary>GetParameters takes at most 10 names.</summary>
    public const int MaxBatchSize = 10;

    public static ParamStoreSettings FromEnvironment(Func<string, string?>? environment = null)
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
                problem = AwsFailure.Coded(ParamStoreErrorCodes.BadSetting, new StoreException(StoreFailureKind.Misconfigured, $"{BatchingVariable}='{other}' is neither on nor off", $"Set {BatchingVariable}=off to switch batching off, or unset it."));
                break;
        }

        var window = StoreBatcherOptions.Default;
        if (environment(BatchWindowVariable) is { Length: > 0 } text)
        {
            if (int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms <= 60_000)
            {
                var quiet = TimeSpan.FromMilliseconds(ms);
                window = window with { QuietPeriod = quiet, MaxHold = TimeSpan.FromMilliseconds(Math.Max(StoreBatcherOptions.Default.MaxHold.TotalMilliseconds, 10.0 * ms)) };
            }
            else
            {
                problem ??= AwsFailure.Coded(ParamStoreErrorCodes.BadSetting, new StoreException(StoreFailureKind.Misconfigured, $"{BatchWindowVariable}='{text}' is not a number of milliseconds (0-60000)", $"Unset {BatchWindowVariable} (default 3 ms)."));
            }
        }

        Uri? endpoint = null;
        try
        {
            endpoint = AwsEndpoint.Resolve("SSM", environment);
        }
        catch (AwsSettingException ex)
        {
            problem ??= AwsFailure.Classify(ex, "SSM", null);
        }

        return new ParamStoreSettings(endpoint, batching, window, problem);
    }
}
