namespace ConfigManager.Plugins.AwsShared;

/// <summary>
/// The endpoint override, as the AWS SDKs and CLI read it: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> (e.g.
/// <c>AWS_ENDPOINT_URL_SSM</c>, <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>) wins over <c>AWS_ENDPOINT_URL</c>;
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c> turns both off. Null: the service's public endpoint for the region.
/// </summary>
public static class AwsEndpoint
{
    public const string GlobalVariable = "AWS_ENDPOINT_URL";

    public const string IgnoreVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    /// <summary>The override for a service, or null.</summary>
    /// <param name="serviceVariableSuffix">The service's suffix: <c>SSM</c>, <c>SECRETS_MANAGER</c>.</param>
    /// <param name="environment">The variables (null: this process's).</param>
    /// <exception cref="AwsSettingException">The variable is set but is not an absolute http(s) URL (CM2225).</exception>
    public static Uri? Resolve(string serviceVariableSuffix, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (string.Equals(environment(IgnoreVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var name in new[] { GlobalVariable + "_" + serviceVariableSuffix, GlobalVariable })
        {
            if (environment(name) is { Length: > 0 } value)
            {
                if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
                {
                    throw new AwsSettingException(AwsErrorCodes.BadEndpoint, $"{name}='{value}' is not an absolute http(s) URL", $"Set {name} to the endpoint's URL (e.g. https://ssm.eu-west-1.amazonaws.com or http://127.0.0.1:5000), or unset it.");
                }

                return uri;
            }
        }

        return null;
    }
}
