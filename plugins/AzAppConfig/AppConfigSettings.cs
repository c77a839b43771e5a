namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>
/// Where a store lives and how to sign in to it. Production: https://{store}.azconfig.io with an Entra ID token for
/// the documented audience (https://azconfig.io), or the access key of AZURE_APPCONFIG_CONNECTION_STRING for the
/// store it names. CONFIGMANAGER_AZAPPCONF_DNS_SUFFIX replaces azconfig.io (azconfig.azure.cn, azconfig.azure.us);
/// CONFIGMANAGER_AZAPPCONF_ENDPOINT is a full URI template ('{store}' replaced) for private endpoints and local
/// servers; CONFIGMANAGER_AZAPPCONF_AUDIENCE overrides the token audience.
/// </summary>
internal sealed class AppConfigSettings
{
    public const string EndpointVariable = "CONFIGMANAGER_AZAPPCONF_ENDPOINT";
    public const string DnsSuffixVariable = "CONFIGMANAGER_AZAPPCONF_DNS_SUFFIX";
    public const string AudienceVariable = "CONFIGMANAGER_AZAPPCONF_AUDIENCE";
    public const string ConnectionStringVariable = "AZURE_APPCONFIG_CONNECTION_STRING";
    private const string DefaultDnsSuffix = "azconfig.io";

    private readonly string _template;
    private readonly string? _audience;
    private readonly string? _connectionString;
    private readonly Lazy<AppConfigConnectionString?> _connection;

    public AppConfigSettings(string? endpointTemplate, string? dnsSuffix, string? audience, string? connectionString)
    {
        var suffix = string.IsNullOrWhiteSpace(dnsSuffix) ? DefaultDnsSuffix : dnsSuffix.Trim().Trim('.');
        var custom = !string.IsNullOrWhiteSpace(endpointTemplate);
        _template = custom ? endpointTemplate!.Trim().TrimEnd('/') : $"https://{{store}}.{suffix}";
        _connectionString = string.IsNullOrWhiteSpace(connectionString) ? null : connectionString;
        _connection = new Lazy<AppConfigConnectionString?>(() =>
            _connectionString is null ? null : AppConfigConnectionString.Parse(_connectionString, ConnectionStringVariable));
        _audience = !string.IsNullOrWhiteSpace(audience) ? audience.Trim().TrimEnd('/')
            : custom ? null
            : suffix.Equals("azconfig.azure.us", StringComparison.OrdinalIgnoreCase) ? "https://appconfig.azure.us"
            : "https://" + suffix;
    }

    public static AppConfigSettings FromEnvironment() => new(
        Environment.GetEnvironmentVariable(EndpointVariable),
        Environment.GetEnvironmentVariable(DnsSuffixVariable),
        Environment.GetEnvironmentVariable(AudienceVariable),
        Environment.GetEnvironmentVariable(ConnectionStringVariable));

    /// <summary>The store's endpoint, ending in '/'.</summary>
    public Uri StoreUri(string store)
    {
        var text = _template.Replace("{store}", store, StringComparison.Ordinal);
        if (!Uri.TryCreate(text + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"{AppConfigErrorCodes.BadSetting}: {EndpointVariable}/{DnsSuffixVariable} give '{text}', which is not an https URI.");
        }

        return uri;
    }

    /// <summary>The connection string's access key when it names this store's endpoint, else null (Entra ID is used).</summary>
    public AppConfigConnectionString? AccessKeyFor(Uri storeUri) =>
        _connection.Value is { } connection && SameOrigin(connection.Endpoint, storeUri) ? connection : null;

    /// <summary>Whether a connection string is set at all (for messages when it names another store).</summary>
    public bool HasConnectionString => _connectionString is not null;

    /// <summary>The Entra ID scope for the store: the audience (documented, or the endpoint's origin) + "/.default".</summary>
    public string Scope(Uri storeUri) => (_audience ?? storeUri.GetLeftPart(UriPartial.Authority)) + "/.default";

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
