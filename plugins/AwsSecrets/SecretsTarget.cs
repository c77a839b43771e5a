using ConfigManager.Plugins.AwsSecrets.Signing;
using ConfigManager.Plugins.AwsShared;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// Where the plugin sends its calls and what it signs them with, from plugins/AwsShared: the SDK's credential and
/// region chains, and AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL (else the region's public endpoint).
/// </summary>
internal sealed class SecretsTarget(AwsIdentity identity, Func<string, string?>? environment = null)
{
    private readonly Lazy<Uri> _endpoint = new(() =>
        AwsEndpoint.Resolve("SECRETS_MANAGER", environment)
        ?? new Uri($"https://secretsmanager.{identity.Region.SystemName}.{identity.Region.PartitionDnsSuffix ?? "amazonaws.com"}/"));

    /// <summary>The endpoint; throws the shared CM2225/CM2221 setting errors.</summary>
    public Uri Endpoint => _endpoint.Value;

    /// <summary>The signing region; throws CM2221 when none is set.</summary>
    public string Region => identity.Region.SystemName;

    /// <summary>The region for error text; never throws (a missing region is its own error).</summary>
    public string RegionText => Describe(() => Region, "<region>");

    /// <summary>The credentials to sign with (the chain refreshes temporary ones).</summary>
    public async ValueTask<AwsSigningCredentials> CredentialsAsync(CancellationToken cancellationToken)
    {
        var credentials = await identity.CredentialsAsync(cancellationToken).ConfigureAwait(false);
        var keys = await credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return new AwsSigningCredentials(keys.AccessKey, keys.SecretKey, keys.UseToken ? keys.Token : null);
    }

    private static string Describe(Func<string> read, string fallback)
    {
        try
        {
            return read();
        }
        catch (Exception)
        {
            return fallback;
        }
    }
}
