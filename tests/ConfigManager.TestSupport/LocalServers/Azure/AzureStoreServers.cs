namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>
/// Everything an AZKVSECRET or AZAPPCONF plugin process needs to run against this machine only: a test CA, the
/// managed-identity endpoint, <see cref="KeyVaultServer"/>, <see cref="AppConfigServer"/> and a <see cref="ProxyTrap"/>,
/// with the variables that point a plugin at them (for end-to-end tests that launch the tool or dotnet build).
/// </summary>
public sealed class AzureStoreServers : IAsyncDisposable
{
    private AzureStoreServers(TestCertificateAuthority certificates, ManagedIdentityEndpoint identity, KeyVaultServer vault, AppConfigServer config, ProxyTrap trap)
    {
        Certificates = certificates;
        Identity = identity;
        Vault = vault;
        Config = config;
        Trap = trap;
    }

    public TestCertificateAuthority Certificates { get; }

    public ManagedIdentityEndpoint Identity { get; }

    public KeyVaultServer Vault { get; }

    public AppConfigServer Config { get; }

    public ProxyTrap Trap { get; }

    public static async Task<AzureStoreServers> StartAsync()
    {
        var certificates = TestCertificateAuthority.Create();
        var identity = await ManagedIdentityEndpoint.StartAsync();
        var vault = await KeyVaultServer.StartAsync(certificates.ServerCertificate, identity);
        var config = await AppConfigServer.StartAsync(certificates.ServerCertificate, identity);
        return new AzureStoreServers(certificates, identity, vault, config, ProxyTrap.Start());
    }

    /// <summary>
    /// The plugin-facing variables (null: unset): TLS trust, managed identity only, both endpoints, the proxy trap, and
    /// AZURE_APPCONFIG_CONNECTION_STRING when <paramref name="appConfigAccessKey"/> (else AZAPPCONF uses Entra ID).
    /// </summary>
    public IReadOnlyDictionary<string, string?> PluginEnvironment(bool appConfigAccessKey)
    {
        var environment = new Dictionary<string, string?>(Identity.CredentialEnvironment)
        {
            ["SSL_CERT_FILE"] = Certificates.CaCertificatePath,
            ["CONFIGMANAGER_AZKVSECRET_ENDPOINT"] = Vault.VaultUri.ToString(),
            ["CONFIGMANAGER_AZKVSECRET_SKIP_CHALLENGE_RESOURCE_CHECK"] = "true",
            ["CONFIGMANAGER_AZAPPCONF_ENDPOINT"] = Config.Endpoint.ToString(),
            ["CONFIGMANAGER_AZAPPCONF_AUDIENCE"] = Config.Audience,
            ["AZURE_APPCONFIG_CONNECTION_STRING"] = appConfigAccessKey ? Config.ConnectionString() : null,
        };
        foreach (var (name, value) in Trap.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await Config.DisposeAsync();
        await Vault.DisposeAsync();
        await Identity.DisposeAsync();
        await Trap.DisposeAsync();
        Certificates.Dispose();
    }
}
