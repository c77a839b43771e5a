using ConfigManager.Plugins.AwsSecrets.Signing;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AwsSecrets;

/// <summary>
/// Interim target until plugins/AwsShared (the SDK's credential and region chains) is merged: static keys from
/// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, AWS_REGION/AWS_DEFAULT_REGION, and the endpoint override.
/// </summary>
internal sealed class EnvironmentSecretsTarget(Func<string, string?> environment) : SecretsTarget
{
    public override Uri Endpoint =>
        (Read("AWS_ENDPOINT_URL_SECRETS_MANAGER") ?? Read("AWS_ENDPOINT_URL")) is { } url
            ? new Uri(url)
            : new Uri($"https://secretsmanager.{Region}.amazonaws.com/");

    public override string Region => Read("AWS_REGION") ?? Read("AWS_DEFAULT_REGION")
        ?? throw new StoreException(StoreFailureKind.Misconfigured, "CM2221: no AWS region is set (tried AWS_REGION, AWS_DEFAULT_REGION)", "Set AWS_REGION.");

    public override ValueTask<AwsSigningCredentials> CredentialsAsync(CancellationToken cancellationToken) =>
        Read("AWS_ACCESS_KEY_ID") is { } key && Read("AWS_SECRET_ACCESS_KEY") is { } secret
            ? ValueTask.FromResult(new AwsSigningCredentials(key, secret, Read("AWS_SESSION_TOKEN")))
            : throw new StoreException(StoreFailureKind.Misconfigured, "CM2220: no AWS credentials found (tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)", "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");

    private string? Read(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;
}
