namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>The plugin's own switches (credentials, region and endpoint come from the AWS chains).</summary>
internal sealed record SecretsSettings(bool Batching)
{
    /// <summary>CONFIGMANAGER_AWSSECRETS_BATCHING=off (or false/0) sends one GetSecretValue per token, as configmanager does.</summary>
    public const string BatchingVariable = "CONFIGMANAGER_AWSSECRETS_BATCHING";

    public static SecretsSettings FromEnvironment(Func<string, string?>? environment = null)
    {
        var value = (environment ?? Environment.GetEnvironmentVariable)(BatchingVariable)?.Trim();
        var off = value is not null && (value.Equals("off", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0");
        return new SecretsSettings(Batching: !off);
    }
}
