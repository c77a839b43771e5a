using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Gcp;

namespace ConfigManager.StorePlugins.Tests.Gcp;

/// <summary>
/// The GCPSECRETS plugin's world for one test class: Secret Manager and Google's token endpoint over HTTPS (a test CA
/// through SSL_CERT_FILE), a metadata server, a registered service account with its key file, and a proxy trap that
/// catches any request meant for another host. <see cref="ResolveAsync"/> runs the published NativeAOT plugin under
/// Core's PluginHost with the ADC variables set for that run only (the classes run one at a time).
/// </summary>
internal sealed class GcpStandIns : IAsyncDisposable
{
    public const string Project = "cm-test-project";
    public const string ServiceAccountEmail = "builder@cm-test-project.iam.gserviceaccount.com";
    public const string MetadataPrincipal = "default-compute@cm-test-project.iam.gserviceaccount.com";

    private static readonly string[] s_variables =
    [
        "GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST", "NO_GCE_CHECK", "CONFIGMANAGER_GCPSECRETS_ENDPOINT", "SSL_CERT_FILE",
        "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ];

    private GcpStandIns(TestCertificateAuthority ca, SecretManagerServer secrets, GceMetadataServer metadata, GcpServiceAccount account, ProxyTrap trap)
    {
        Ca = ca;
        Secrets = secrets;
        Metadata = metadata;
        Account = account;
        Trap = trap;
    }

    public TestCertificateAuthority Ca { get; }

    public SecretManagerServer Secrets { get; }

    public GceMetadataServer Metadata { get; }

    public GcpServiceAccount Account { get; }

    public ProxyTrap Trap { get; }

    public static async Task<GcpStandIns> StartAsync()
    {
        var ca = TestCertificateAuthority.Create();
        var secrets = await SecretManagerServer.StartAsync(ca.ServerCertificate);
        var metadata = await GceMetadataServer.StartAsync(secrets, MetadataPrincipal);
        var account = GcpServiceAccount.Create(ServiceAccountEmail, secrets.TokenUri);
        secrets.AddServiceAccount(account);
        return new GcpStandIns(ca, secrets, metadata, account, ProxyTrap.Start());
    }

    /// <summary>The variables every run gets: the endpoint, the CA, the trap as proxy, the metadata server turned off.</summary>
    public Dictionary<string, string?> BaseEnvironment(string? credentialsFile = null)
    {
        var environment = Trap.Environment.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        environment["CONFIGMANAGER_GCPSECRETS_ENDPOINT"] = Secrets.Endpoint;
        environment["SSL_CERT_FILE"] = Ca.CaCertificatePath;
        environment["GOOGLE_APPLICATION_CREDENTIALS"] = credentialsFile ?? Account.KeyFile;
        environment["NO_GCE_CHECK"] = "true";
        return environment;
    }

    /// <summary>The same variables as (name, value) pairs for a child process (gohost).</summary>
    public IReadOnlyList<(string Name, string? Value)> ChildEnvironment(string? credentialsFile = null) =>
        [.. BaseEnvironment(credentialsFile).Select(pair => (pair.Key, pair.Value))];

    public static Task<StoreRun> ResolveAsync(
        IReadOnlyList<string> tokens, IReadOnlyDictionary<string, string?> environment, bool autoMtls = true)
        => StorePluginRun.ResolveAsync(
            CSharpPlugin.GcpSecrets, tokens, environment.Select(pair => (pair.Key, pair.Value)), s_variables, autoMtls);

    public async ValueTask DisposeAsync()
    {
        await Trap.DisposeAsync();
        await Metadata.DisposeAsync();
        await Secrets.DisposeAsync();
        Account.Dispose();
        Ca.Dispose();
    }
}
