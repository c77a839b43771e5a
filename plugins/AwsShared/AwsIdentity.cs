using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;

namespace ConfigManager.Plugins.AwsShared;

/// <summary>
/// Region and credentials exactly as the AWS SDK for .NET resolves them (AWSSDK.Core's default chains), once per plugin
/// run: region from AWS_REGION, AWS_DEFAULT_REGION, then the SDK's chain (profile's region, instance metadata);
/// credentials from the SDK's default chain (environment, shared credentials/config files with AWS_PROFILE including
/// credential_process and assume-role profiles, web identity token file, ECS container credentials, EC2 instance
/// metadata). Failures are <see cref="AwsSettingException"/>s naming what was tried (CM2220, CM2221, CM2229).
/// </summary>
public sealed class AwsIdentity
{
    private static int s_stsRegistered;
    private readonly Func<string, string?> _environment;
    private readonly Lazy<RegionEndpoint?> _region;
    private readonly SemaphoreSlim _credentialsGate = new(1, 1);
    private AWSCredentials? _credentials;

    public AwsIdentity(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
        RegisterSecurityTokenService();
        _region = new Lazy<RegionEndpoint?>(ResolveRegion, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The region; throws CM2221 when no source has one.</summary>
    public RegionEndpoint Region => _region.Value ?? throw new AwsSettingException(
        AwsErrorCodes.NoRegion,
        "no AWS region is set (tried AWS_REGION, AWS_DEFAULT_REGION, the profile's region in " + ConfigFile + ", and instance metadata)",
        "Set AWS_REGION (e.g. AWS_REGION=eu-west-1) or add region = ... to the profile.");

    /// <summary>The credentials (resolved on first use, kept for the run; the SDK refreshes temporary ones itself).</summary>
    public async Task<AWSCredentials> CredentialsAsync(CancellationToken cancellationToken)
    {
        if (_credentials is { } known)
        {
            return known;
        }

        await _credentialsGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_credentials is null)
            {
                AWSCredentials? found;
                try
                {
                    found = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).ConfigureAwait(false);
                }
                catch (AmazonClientException ex) when (ex.Message.Contains("Failed to resolve AWS credentials", StringComparison.Ordinal))
                {
                    throw NoCredentials();
                }
                catch (AmazonClientException ex)
                {
                    throw new AwsSettingException(
                        AwsErrorCodes.CredentialsFailed,
                        "getting AWS credentials failed: " + FirstLine(ex.Message),
                        "Check the profile " + Profile + " in " + ConfigFile + " (credential_process, role_arn/source_profile) or the web identity settings.");
                }

                _credentials = found ?? throw NoCredentials();
            }

            return _credentials;
        }
        finally
        {
            _credentialsGate.Release();
        }
    }

    private string Profile => _environment("AWS_PROFILE") is { Length: > 0 } profile ? $"'{profile}' (AWS_PROFILE)" : "'default'";

    private string ConfigFile => _environment("AWS_CONFIG_FILE") is { Length: > 0 } file ? file : "~/.aws/config";

    private string CredentialsFile => _environment("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } file ? file : "~/.aws/credentials";

    /// <summary>CM2220, naming each source of the default chain and its state here.</summary>
    private AwsSettingException NoCredentials()
    {
        var metadata = string.Equals(_environment("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase)
            ? "EC2 instance metadata (off: AWS_EC2_METADATA_DISABLED=true)"
            : "EC2 instance metadata (not answering)";
        var container = _environment("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is { Length: > 0 } || _environment("AWS_CONTAINER_CREDENTIALS_FULL_URI") is { Length: > 0 }
            ? "ECS container credentials (set but not answering)"
            : "ECS container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI unset)";
        var webIdentity = _environment("AWS_WEB_IDENTITY_TOKEN_FILE") is { Length: > 0 }
            ? "web identity (AWS_WEB_IDENTITY_TOKEN_FILE set; AWS_ROLE_ARN needed too)"
            : "web identity (AWS_WEB_IDENTITY_TOKEN_FILE unset)";
        return new AwsSettingException(
            AwsErrorCodes.NoCredentials,
            "no AWS credentials found; tried: environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset), profile " + Profile +
            " in " + CredentialsFile + " and " + ConfigFile + " (none usable), " + webIdentity + ", " + container + ", " + metadata,
            "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to a configured profile, or run where a role is attached (OIDC web identity, ECS task role, EC2 instance profile).");
    }

    private RegionEndpoint? ResolveRegion()
    {
        foreach (var name in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
        {
            if (_environment(name) is { Length: > 0 } value)
            {
                return RegionEndpoint.GetBySystemName(value.Trim());
            }
        }

        try
        {
            return FallbackRegionFactory.GetRegionEndpoint();
        }
        catch (AmazonClientException)
        {
            return null;
        }
    }

    /// <summary>
    /// Assume-role and web-identity credentials need an STS client, which the SDK otherwise loads by reflection
    /// (impossible under NativeAOT); register one, once per process.
    /// </summary>
    private static void RegisterSecurityTokenService()
    {
        if (Interlocked.Exchange(ref s_stsRegistered, 1) == 0)
        {
            GlobalRuntimeDependencyRegistry.Instance.RegisterSecurityTokenServiceClient(context =>
            {
                var data = context.SecurityTokenServiceClientContextData;
                var config = new AmazonSecurityTokenServiceConfig();
                if (data?.Region is { } region)
                {
                    config.RegionEndpoint = region;
                }

                if (data?.ProxySettings is { } proxy)
                {
                    config.SetWebProxy(proxy);
                }

                return new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
            });
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
