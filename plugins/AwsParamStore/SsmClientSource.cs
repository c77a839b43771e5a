using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SimpleSystemsManagement.Model.Internal.MarshallTransformations;
using ConfigManager.Plugins.AwsShared;

namespace ConfigManager.Plugins.AwsParamStore;

/// <summary>
/// The SSM client for the run, made on first use from the shared region and credentials. The SDK's own retries are off
/// (MaxErrorRetry 0): StoreCall is the one retry policy. Its HTTP timeout is StoreCall's attempt timeout. With a CA bundle
/// (AWS_CA_BUNDLE, else the profile's ca_bundle) its HTTPS trusts exactly that bundle.
/// </summary>
/// <param name="identity">
/// Being created while the plugin starts serving (AWSSDK.Core's start-up is the slowest part of a NativeAOT launch);
/// the first call waits for it.
/// </param>
/// <param name="settings">The endpoint override.</param>
internal sealed class SsmClientSource(Task<AwsIdentity> identity, ParamStoreSettings settings) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AmazonSimpleSystemsManagementClient? _client;

    /// <summary>Where requests go, for error texts: the override, else the region's public endpoint (null while the region is unknown).</summary>
    public Uri? Endpoint { get; private set; } = settings.Endpoint;

    /// <summary>The region's name once known (for the IAM resource in AccessDenied texts), else null.</summary>
    public string? RegionName { get; private set; }

    /// <summary>
    /// Does in the background, while the plugin server starts and the host handshakes, what the first GetParameters would
    /// otherwise pay for one after the other: AWSSDK.Core's start-up, the region and credential chains (profile files),
    /// the client, its endpoint rules, the request marshaller, the SDK's HttpClient and the crypto library's first HMAC
    /// (SigV4). Nothing is sent to SSM (credential sources that are themselves remote, such as assume-role or SSO, are
    /// asked as the first call would ask them). A failure is dropped: the first real call meets it again and reports it.
    /// </summary>
    public Task StartWarmUp() => Task.Run(async () =>
    {
        try
        {
            var client = await GetAsync(CancellationToken.None).ConfigureAwait(false);
            var request = new GetParametersRequest { Names = ["/configmanager/warm-up"], WithDecryption = true };
            var endpoint = client.DetermineServiceOperationEndpoint(request);
            _ = GetParametersRequestMarshaller.Instance.Marshall(request);

            // The SDK makes its HttpClient on the first request (and reads the whole AWS_CA_BUNDLE then, when set: 70 ms
            // measured under load); it keeps it in a process-wide cache keyed by the client's settings, so one made here
            // for the same config is the one the first call uses. Creating a request message sends nothing.
            using var unsent = new HttpRequestMessageFactory(client.Config).CreateHttpRequest(new Uri(endpoint.URL));

            // Temporary credentials (assume-role, web identity, SSO) are fetched by the SDK when the first call is signed;
            // fetch them now instead (the SDK keeps them, so the first call makes no second STS or portal call).
            var aws = await identity.ConfigureAwait(false);
            var credentials = await aws.CredentialsAsync(CancellationToken.None).ConfigureAwait(false);
            _ = await credentials.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsSettingException or AmazonClientException or AmazonServiceException or InvalidOperationException or IOException or ArgumentException or HttpRequestException)
        {
            // Reported by the first GetValue call instead.
        }

        _ = System.Security.Cryptography.HMACSHA256.HashData("warm-up"u8, "warm-up"u8);
    });

    /// <summary>The client; throws AwsSettingException (no region, no credentials) for the caller to word per token.</summary>
    public async Task<IAmazonSimpleSystemsManagement> GetAsync(CancellationToken cancellationToken)
    {
        if (_client is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is null)
            {
                var aws = await identity.WaitAsync(cancellationToken).ConfigureAwait(false);
                var region = aws.Region;
                RegionName = region.SystemName;
                Endpoint ??= new Uri($"https://ssm.{region.SystemName}.amazonaws.com/");
                var credentials = await aws.CredentialsAsync(cancellationToken).ConfigureAwait(false);
                var config = new AmazonSimpleSystemsManagementConfig
                {
                    MaxErrorRetry = 0,
                    RetryMode = RequestRetryMode.Standard,
                    Timeout = TimeSpan.FromSeconds(15),
                    IgnoreConfiguredEndpointUrls = true,
                };
                if (AwsCaBundle.LoadTrust() is { } trust)
                {
                    // AWSSDK.Core reads AWS_CA_BUNDLE but not the profile's ca_bundle; one client for both, and CM2230 for a bad bundle.
                    config.HttpClientFactory = new TrustingHttpClientFactory(trust);
                }

                if (settings.Endpoint is { } endpoint)
                {
                    config.ServiceURL = endpoint.ToString();
                    config.AuthenticationRegion = region.SystemName;
                }
                else
                {
                    config.RegionEndpoint = region;
                }

                _client = new AmazonSimpleSystemsManagementClient(credentials, config);
            }

            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
    }
}
