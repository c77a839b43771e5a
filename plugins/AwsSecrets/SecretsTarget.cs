using ConfigManager.Plugins.AwsSecrets.Signing;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>Where the plugin sends its calls and how it signs them: the endpoint, the region and the credentials.</summary>
internal abstract class SecretsTarget
{
    /// <summary>AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, else https://secretsmanager.{region}.amazonaws.com/.</summary>
    public abstract Uri Endpoint { get; }

    /// <summary>The signing region.</summary>
    public abstract string Region { get; }

    /// <summary>The credentials to sign with (resolved once, refreshed by the chain when temporary).</summary>
    public abstract ValueTask<AwsSigningCredentials> CredentialsAsync(CancellationToken cancellationToken);

    /// <summary>The region for error text; never throws (a missing region is its own error).</summary>
    public string RegionText => Describe(() => Region, "the configured region");

    /// <summary>The endpoint for error text; never throws.</summary>
    public string EndpointText => Describe(() => Endpoint.ToString().TrimEnd('/'), "the Secrets Manager endpoint");

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
