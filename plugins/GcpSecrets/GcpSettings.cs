namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>Where the plugin finds credentials and Secret Manager (Application Default Credentials' variables).</summary>
internal sealed record GcpSettings
{
    public const string EndpointVariable = "CONFIGMANAGER_GCPSECRETS_ENDPOINT";

    /// <summary>Secret Manager's base URL (CONFIGMANAGER_GCPSECRETS_ENDPOINT, default https://secretmanager.googleapis.com), no trailing '/'.</summary>
    public required string Endpoint { get; init; }

    /// <summary>GOOGLE_APPLICATION_CREDENTIALS: a service-account key file.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>The metadata server's host[:port]: GCE_METADATA_HOST, default metadata.google.internal.</summary>
    public required string MetadataHost { get; init; }

    /// <summary>NO_GCE_CHECK=true (as the Google client libraries honour it) skips the metadata server.</summary>
    public bool SkipMetadataServer { get; init; }

    public static GcpSettings FromEnvironment(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => variable(name) is { Length: > 0 } value ? value.Trim() : null;
        var endpoint = Read(EndpointVariable) ?? "https://secretmanager.googleapis.com";
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new GcpException(GcpErrorCodes.BadSetting, $"{EndpointVariable} '{endpoint}' is not an http(s) URL (unset it to use https://secretmanager.googleapis.com)");
        }

        return new GcpSettings
        {
            Endpoint = endpoint.TrimEnd('/'),
            CredentialsFile = Read("GOOGLE_APPLICATION_CREDENTIALS"),
            MetadataHost = Read("GCE_METADATA_HOST") ?? "metadata.google.internal",
            SkipMetadataServer = Read("NO_GCE_CHECK") is { } skip && skip.Equals("true", StringComparison.OrdinalIgnoreCase),
        };
    }
}
