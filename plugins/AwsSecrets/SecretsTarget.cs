using ConfigManager.Plugins.AwsSecrets.Signing;
using ConfigManager.Plugins.AwsShared;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// Where the plugin sends its calls and what it signs them with, from plugins/AwsShared: the SDK's credential and
/// region chains, and AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL (else the region's public endpoint).
/// </summary>
/// <param name="identity">
/// Being created while the plugin starts serving: AWSSDK.Core's start-up takes ~0.1 s of a NativeAOT process, which
/// would otherwise delay the handshake; the first call waits for it.
/// </param>
/// <param name="environment">The variables (null: this process's).</param>
internal sealed class SecretsTarget(Task<AwsIdentity> identity, Func<string, string?>? environment = null)
{
    private Uri? _endpoint;

    /// <summary>The region for error text; never throws (a missing region is its own error).</summary>
    public string RegionText
    {
        get
        {
            try
            {
                return identity.IsCompletedSuccessfully ? identity.Result.Region.SystemName : "<region>";
            }
            catch (Exception)
            {
                return "<region>";
            }
        }
    }

    /// <summary>The endpoint; throws the shared CM2225/CM2221 setting errors (as <see cref="AwsSettingException"/>).</summary>
    public async ValueTask<Uri> EndpointAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is { } known)
        {
            return known;
        }

        var aws = await identity.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _endpoint = AwsEndpoint.Resolve("SECRETS_MANAGER", environment)
            ?? new Uri($"https://secretsmanager.{aws.Region.SystemName}.{aws.Region.PartitionDnsSuffix ?? "amazonaws.com"}/");
    }

    /// <summary>The signing region; throws CM2221 when none is set.</summary>
    public async ValueTask<string> RegionAsync(CancellationToken cancellationToken) =>
        (await identity.WaitAsync(cancellationToken).ConfigureAwait(false)).Region.SystemName;

    /// <summary>The credentials to sign with (the chain refreshes temporary ones).</summary>
    public async ValueTask<AwsSigningCredentials> CredentialsAsync(CancellationToken cancellationToken)
    {
        var aws = await identity.WaitAsync(cancellationToken).ConfigureAwait(false);
        var credentials = await aws.CredentialsAsync(cancellationToken).ConfigureAwait(false);
        var keys = await credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return new AwsSigningCredentials(keys.AccessKey, keys.SecretKey, keys.UseToken ? keys.Token : null);
    }
}
