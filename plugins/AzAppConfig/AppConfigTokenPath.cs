using System.Globalization;

namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>
/// An AZAPPCONF token: <c>store-name/key</c> split as configmanager splits it (the first segment names the store,
/// everything after it, '/' included, is the key), and its metadata: <c>label</c>, <c>etag</c> (configmanager's
/// "only if changed": sent as If-None-Match), <c>ifMatch</c> (this plugin's: only if still at that etag) and
/// <c>acceptedDateTime</c> (RFC 3339; the value as it was then, sent as Accept-Datetime).
/// </summary>
internal sealed record AppConfigTokenPath(string Store, string Key, string? Label, string? Etag, string? IfMatch, DateTimeOffset? AcceptedDateTime)
{
    public static AppConfigTokenPath Parse(string token, string metadata)
    {
        var path = token.StartsWith('/') ? token[1..] : token;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw Bad(token, "must be store-name/key (e.g. AZAPPCONF:///my-store/App:Db:Host)");
        }

        var store = path[..slash];
        if (store.Length is < 5 or > 50 || !store.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw Bad(token, $"store name '{store}' must be 5-50 letters, digits or '-' (App Configuration naming rules)");
        }

        string? label = null, etag = null, ifMatch = null;
        DateTimeOffset? at = null;
        foreach (var pair in metadata.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals].Trim();
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..].Trim();
            switch (key)
            {
                case "label":
                    label = value;
                    break;
                case "etag" when value.Length > 0:
                    etag = value;
                    break;
                case "ifMatch" when value.Length > 0:
                    ifMatch = value;
                    break;
                case "acceptedDateTime":
                    at = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                        ? parsed
                        : throw Bad(token, $"acceptedDateTime '{value}' is not a date and time (RFC 3339, e.g. 2026-01-31T12:00:00Z)");
                    break;
                case "etag" or "ifMatch":
                    throw Bad(token, $"{key} needs a value (an etag as App Configuration returns it)");
                default:
                    throw Bad(token, $"unknown metadata '{key}' (known: label, etag, ifMatch, acceptedDateTime)");
            }
        }

        if (etag is not null && ifMatch is not null)
        {
            throw Bad(token, "etag (only if changed) and ifMatch (only if unchanged) cannot both be given");
        }

        return new AppConfigTokenPath(store, path[(slash + 1)..], label, etag, ifMatch, at);
    }

    /// <summary>"key 'k' with label 'l'" / "with no label", for messages.</summary>
    public string Describe() => $"key '{Key}' {(string.IsNullOrEmpty(Label) ? "with no label" : $"with label '{Label}'")}"
        + (AcceptedDateTime is { } at ? $" as of {at.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}" : string.Empty);

    /// <summary><c>/kv/{key}?label=..&amp;api-version=1.0</c>, every part escaped.</summary>
    public string RequestPath() =>
        "kv/" + Uri.EscapeDataString(Key) + (Label is null ? "?" : "?label=" + Uri.EscapeDataString(Label) + "&") + "api-version=" + AppConfigClient.ApiVersion;

    private static ArgumentException Bad(string token, string why) => new($"{AppConfigErrorCodes.BadToken}: AZAPPCONF token '{token}': {why}.");
}
