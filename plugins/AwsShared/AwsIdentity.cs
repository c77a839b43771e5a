using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;

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
    private static int s_ssoRegistered;
    private readonly Func<string, string?> _environment;
    private readonly Lazy<RegionEndpoint?> _region;
    private readonly SemaphoreSlim _credentialsGate = new(1, 1);
    private AWSCredentials? _credentials;

    public AwsIdentity(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
        RegisterSecurityTokenService();
        RegisterSingleSignOn();
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
                catch (AmazonClientException ex) when (SsoLoginProblem(ex) is { } login)
                {
                    throw login;
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

    /// <summary>
    /// CM2229 for an SSO profile (AWS_PROFILE, else default, with <c>sso_session</c> or <c>sso_start_url</c>) whose token
    /// the SDK could not use: none cached by <c>aws sso login</c>, or expired and not refreshable. The text says to run
    /// <c>aws sso login --profile NAME</c>; it carries the SDK's first line (which names no token), never a token.
    /// </summary>
    /// <returns>Null when the failure is not about an SSO token, or the profile is not an SSO profile.</returns>
    internal static AwsSettingException? SsoLoginProblem(Exception exception)
    {
        string? said = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current.Message.Contains("SSO", StringComparison.OrdinalIgnoreCase))
            {
                said ??= FirstLine(current.Message);
            }
        }

        var name = Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } profileName ? profileName : "default";
        if (said is null || !new CredentialProfileStoreChain().TryGetProfile(name, out var profile)
            || (profile.Options.SsoSession is not { Length: > 0 } && profile.Options.SsoStartUrl is not { Length: > 0 }))
        {
            return null;
        }

        return new AwsSettingException(
            AwsErrorCodes.CredentialsFailed,
            $"the SSO profile '{name}' has no valid token: the one `aws sso login` caches in ~/.aws/sso/cache is missing or expired and could not be refreshed ({said.TrimEnd('.')})",
            $"Run `aws sso login --profile {name}`, then build again.");
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
    /// (impossible under NativeAOT); register one, once per process. AssumeRole must be signed with the profile's source
    /// credentials (the SDK does not pass them to the factory); web identity and SAML calls are unsigned.
    /// </summary>
    private static void RegisterSecurityTokenService()
    {
        if (Interlocked.Exchange(ref s_stsRegistered, 1) == 0)
        {
            GlobalRuntimeDependencyRegistry.Instance.RegisterSecurityTokenServiceClient(context =>
            {
                var data = context.SecurityTokenServiceClientContextData;
                var config = WithRegionAndProxy(new AmazonSecurityTokenServiceConfig(), data?.Region, data?.ProxySettings);
                // The SDK does not always say which call the client is for (web identity arrives as the default action),
                // so the profile decides: a role profile signs with its source credentials, anything else is unsigned.
                return new AmazonSecurityTokenServiceClient(AssumeRoleSourceCredentials() ?? new AnonymousAWSCredentials(), config);
            });
        }
    }

    /// <summary>
    /// SSO profiles (<c>sso_session</c> or legacy <c>sso_start_url</c>) need the SSO portal client (GetRoleCredentials with
    /// the cached token) and the SSO OIDC client (token refresh), which the SDK otherwise loads by reflection; register
    /// both, once per process. Both calls are unsigned: the portal takes the token as a bearer header.
    /// </summary>
    private static void RegisterSingleSignOn()
    {
        if (Interlocked.Exchange(ref s_ssoRegistered, 1) == 0)
        {
            GlobalRuntimeDependencyRegistry.Instance.RegisterSSOClient(context =>
            {
                var data = context.SSOClientContextData;
                return new AmazonSSOClient(new AnonymousAWSCredentials(), WithRegionAndProxy(new AmazonSSOConfig(), data?.Region, data?.ProxySettings));
            });
            GlobalRuntimeDependencyRegistry.Instance.RegisterSSOOIDCClient(context =>
            {
                var data = context.SSOOIDCClientContextData;
                return new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), WithRegionAndProxy(new AmazonSSOOIDCConfig(), data?.Region, data?.ProxySettings));
            });
        }
    }

    /// <summary>The region and proxy the SDK asks a registered client to use (each unset when the SDK gives none).</summary>
    private static TConfig WithRegionAndProxy<TConfig>(TConfig config, RegionEndpoint? region, System.Net.IWebProxy? proxy)
        where TConfig : ClientConfig
    {
        if (region is not null)
        {
            config.RegionEndpoint = region;
        }

        if (proxy is not null)
        {
            config.SetWebProxy(proxy);
        }

        return config;
    }

    /// <summary>
    /// The credentials an assume-role profile (AWS_PROFILE, else default) starts from: its <c>source_profile</c>'s (one
    /// level: a source that is itself a role profile is refused) or its <c>credential_source</c> (Environment,
    /// Ec2InstanceMetadata, EcsContainer).
    /// </summary>
    /// <returns>Null when the current profile is not a role profile (web identity, SAML: unsigned calls).</returns>
    private static AWSCredentials? AssumeRoleSourceCredentials()
    {
        var chain = new CredentialProfileStoreChain();
        var name = Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } profileName ? profileName : "default";
        if (!chain.TryGetProfile(name, out var profile) || profile.Options.RoleArn is not { Length: > 0 })
        {
            return null;
        }

        if (profile.Options.SourceProfile is { Length: > 0 } source)
        {
            if (!chain.TryGetProfile(source, out var sourceProfile) || sourceProfile.Options.RoleArn is { Length: > 0 })
            {
                throw new AmazonClientException($"the source_profile '{source}' of profile '{name}' is missing or is itself a role profile (chained roles are not supported; give it keys)");
            }

            return chain.TryGetAWSCredentials(source, out var sourceCredentials)
                ? sourceCredentials
                : throw new AmazonClientException($"the source_profile '{source}' of profile '{name}' has no usable credentials");
        }

        return profile.Options.CredentialSource switch
        {
            "Environment" => new EnvironmentVariablesAWSCredentials(),
            "Ec2InstanceMetadata" => new InstanceProfileAWSCredentials(),
            "EcsContainer" => new GenericContainerCredentials(),
            null or "" => null, // role_arn with web_identity_token_file: an unsigned call
            var other => throw new AmazonClientException($"the profile '{name}' has neither a source_profile nor a supported credential_source ('{other}')"),
        };
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
