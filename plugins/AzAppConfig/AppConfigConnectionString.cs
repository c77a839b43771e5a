namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>
/// An App Configuration connection string, <c>Endpoint=https://x.azconfig.io;Id=...;Secret=...</c> (the access key's
/// id and base64 value). Errors never repeat the string: it holds the secret.
/// </summary>
internal sealed class AppConfigConnectionString
{
    private AppConfigConnectionString(Uri endpoint, string id, byte[] secret)
    {
        Endpoint = endpoint;
        Id = id;
        Secret = secret;
    }

    public Uri Endpoint { get; }

    public string Id { get; }

    public byte[] Secret { get; }

    public static AppConfigConnectionString Parse(string text, string variable)
    {
        string? endpoint = null, id = null, secret = null;
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            switch (name.ToLowerInvariant())
            {
                case "endpoint": endpoint = value; break;
                case "id": id = value; break;
                case "secret": secret = value; break;
                default: throw Bad(variable, $"has an unknown part '{name}' (expected Endpoint=...;Id=...;Secret=...)");
            }
        }

        if (endpoint is null || id is null || secret is null || id.Length == 0)
        {
            throw Bad(variable, "must have Endpoint=, Id= and Secret= (copy it from the store's Access keys, or az appconfig credential list)");
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Bad(variable, $"Endpoint '{endpoint}' is not an https URI");
        }

        var key = new byte[secret.Length];
        if (!Convert.TryFromBase64String(secret, key, out var length) || length == 0)
        {
            throw Bad(variable, "Secret is not base64 (the access key's value, as the portal shows it)");
        }

        return new AppConfigConnectionString(uri, id, key[..length]);
    }

    private static ArgumentException Bad(string variable, string why) => new($"{AppConfigErrorCodes.BadSetting}: {variable} {why}.");
}
