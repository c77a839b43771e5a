namespace ConfigManager.TestSupport;

/// <summary>A first-party C# plugin project that <see cref="CSharpPlugins"/> can publish.</summary>
/// <param name="Prefix">Lower-case prefix: the layout folder and the start of the executable's name.</param>
/// <param name="ProjectPath">The plugin's project, relative to the repository root.</param>
public sealed record CSharpPlugin(string Prefix, string ProjectPath)
{
    /// <summary>ENV://NAME (plugins/Env).</summary>
    public static CSharpPlugin Env { get; } = new("env", "plugins/Env/Env.csproj");

    /// <summary>AZTABLESTORE://account/table/partitionKey/rowKey (plugins/AzTableStore).</summary>
    public static CSharpPlugin AzTableStore { get; } = new("aztablestore", "plugins/AzTableStore/AzTableStore.csproj");

    /// <summary>AWSSECRETS:///secret-id (plugins/AwsSecrets): AWS Secrets Manager.</summary>
    public static CSharpPlugin AwsSecrets { get; } = new("awssecrets", "plugins/AwsSecrets/AwsSecrets.csproj");

    /// <summary>AWSPARAMSTR:///parameter-name (plugins/AwsParamStore): AWS SSM Parameter Store.</summary>
    public static CSharpPlugin AwsParamStore { get; } = new("awsparamstr", "plugins/AwsParamStore/AwsParamStore.csproj");

    /// <summary>AZKVSECRET:///vault/secret (plugins/AzKeyVault): Azure Key Vault secrets.</summary>
    public static CSharpPlugin AzKeyVault { get; } = new("azkvsecret", "plugins/AzKeyVault/AzKeyVault.csproj");

    /// <summary>AZAPPCONF:///store/key (plugins/AzAppConfig): Azure App Configuration.</summary>
    public static CSharpPlugin AzAppConfig { get; } = new("azappconf", "plugins/AzAppConfig/AzAppConfig.csproj");

    /// <summary>VAULT:///mount/path (plugins/Vault): HashiCorp Vault / OpenBao KV.</summary>
    public static CSharpPlugin Vault { get; } = new("vault", "plugins/Vault/Vault.csproj");

    /// <summary>GCPSECRETS:///projects/p/secrets/s (plugins/GcpSecrets): Google Secret Manager.</summary>
    public static CSharpPlugin GcpSecrets { get; } = new("gcpsecrets", "plugins/GcpSecrets/GcpSecrets.csproj");

    /// <summary>The C# test plugin (plugins/TestPlugin): the test-plugin contract, prefix CSTEST.</summary>
    public static CSharpPlugin TestPlugin { get; } = new("cstest", "plugins/TestPlugin/TestPlugin.csproj");

    /// <summary>The plugin's upper-case prefix as tokens spell it (ENV, AZTABLESTORE, CSTEST).</summary>
    public string TokenPrefix => Prefix.ToUpperInvariant();
}
