namespace ConfigManager.Core.Tokens;

/// <summary>The prefixes configmanager recognises without configuration.</summary>
public static class KnownPrefixes
{
    public const string AwsSecretsManager = "AWSSECRETS";
    public const string AwsParameterStore = "AWSPARAMSTR";
    public const string AzureKeyVaultSecret = "AZKVSECRET";
    public const string AzureTableStore = "AZTABLESTORE";
    public const string AzureAppConfiguration = "AZAPPCONF";
    public const string HashiCorpVault = "VAULT";
    public const string GcpSecrets = "GCPSECRETS";

    public static IReadOnlyList<string> All { get; } =
    [
        AwsSecretsManager, AwsParameterStore, AzureKeyVaultSecret, AzureTableStore,
        AzureAppConfiguration, HashiCorpVault, GcpSecrets,
    ];
}
