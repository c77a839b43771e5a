using ConfigManager.PluginSdk.Stores;
using ConfigManager.Plugins.AwsShared;

namespace ConfigManager.Plugins.AwsParamStore;

/// <summary>The plugin's settings from its environment: the SSM endpoint override and the batching switch.</summary>
internal sealed record ParamStoreSettings(Uri? Endpoint, bool Batching, StoreException? Problem)
{
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

        Uri? endpoint = null;
        try
        {
            endpoint = AwsEndpoint.Resolve("SSM", environment);
        }
        catch (AwsSettingException ex)
        {
            problem ??= AwsFailure.Classify(ex, "SSM", null);
        }

        return new ParamStoreSettings(endpoint, batching, problem);
    }
}
