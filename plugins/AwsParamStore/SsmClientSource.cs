using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using ConfigManager.Plugins.AwsShared;

namespace ConfigManager.Plugins.AwsParamStore;

/// <summary>
/// The SSM client for the run, made on first use from the shared region and credentials. The SDK's own retries are off
/// (MaxErrorRetry 0): StoreCall is the one retry policy. Its HTTP timeout is StoreCall's attempt timeout.
/// </summary>
internal sealed class SsmClientSource(AwsIdentity identity, ParamStoreSettings settings) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AmazonSimpleSystemsManagementClient? _client;

    /// <summary>Where requests go, for error texts: the override, else the region's public endpoint (null while the region is unknown).</summary>
    public Uri? Endpoint { get; private set; } = settings.Endpoint;

    /// <summary>The region's name once known (for the IAM resource in AccessDenied texts), else null.</summary>
    public string? RegionName { get; private set; }

    /// <summary>
    /// Resolves region and credentials and builds the client in the background while the plugin server starts, so the
    /// first token does not pay for it. A failure here is dropped: the first real call meets it again and reports it.
    /// </summary>
    public void StartWarmUp() => _ = Task.Run(async () =>
    {
        try
        {
            await GetAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsSettingException or AmazonClientException or InvalidOperationException or IOException)
        {
            // Reported by the first GetValue call instead.
        }
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
                var region = identity.Region;
                RegionName = region.SystemName;
                Endpoint ??= new Uri($"https://ssm.{region.SystemName}.amazonaws.com/");
                var credentials = await identity.CredentialsAsync(cancellationToken).ConfigureAwait(false);
                var config = new AmazonSimpleSystemsManagementConfig
                {
                    MaxErrorRetry = 0,
                    RetryMode = RequestRetryMode.Standard,
                    Timeout = TimeSpan.FromSeconds(15),
                    IgnoreConfiguredEndpointUrls = true,
                };
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
