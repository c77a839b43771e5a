using System.Net;
using System.Text.Json;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.Plugins.AzAppConfig;

/// <summary>A failed App Configuration reply worded for the build log: code, store, key and label, what to do next.</summary>
internal static class AppConfigFailures
{
    public static StoreException Of(HttpResponseMessage response, byte[] body, AppConfigTokenPath path, Uri storeUri, bool accessKey, AppConfigSettings settings)
    {
        var status = (int)response.StatusCode;
        var what = path.Describe();
        var detail = Detail(response, body);
        var retryAfter = StoreHttp.RetryAfter(response);
        return response.StatusCode switch
        {
            HttpStatusCode.NotModified => new StoreException(StoreFailureKind.InvalidRequest,
                $"{AppConfigErrorCodes.EtagCondition}: {what} in store {storeUri} is unchanged since etag {path.Etag} (HTTP 304), so there is no new value to inject",
                "Drop [etag=...] to always read the value (configmanager's etag means 'only if changed')."),
            HttpStatusCode.PreconditionFailed => new StoreException(StoreFailureKind.InvalidRequest,
                $"{AppConfigErrorCodes.EtagCondition}: {what} in store {storeUri} has changed: it is no longer at etag {path.IfMatch} (HTTP 412)",
                "Review the new value (az appconfig kv show) and update [ifMatch=...], or drop it."),
            HttpStatusCode.NotFound => new StoreException(StoreFailureKind.NotFound,
                $"{AppConfigErrorCodes.KeyNotFound}: {what} not found in store {storeUri}",
                $"Check the key and the label (az appconfig kv show --name {path.Store} --key '{path.Key}'{(string.IsNullOrEmpty(path.Label) ? string.Empty : $" --label '{path.Label}'")}); a key stored under a label is only found with [label=...]."),
            HttpStatusCode.Unauthorized when accessKey => new StoreException(StoreFailureKind.AccessDenied,
                $"{AppConfigErrorCodes.Unauthorized}: store {storeUri} rejected the access key's signature for {what} (HTTP 401{detail})",
                $"Check {AppConfigSettings.ConnectionStringVariable} (Id and Secret of a current access key: az appconfig credential list) and this machine's clock (within 15 minutes)."),
            HttpStatusCode.Unauthorized => new StoreException(StoreFailureKind.AccessDenied,
                $"{AppConfigErrorCodes.Unauthorized}: store {storeUri} rejected the Entra ID token for {what} (HTTP 401{detail})",
                $"Check that the identity is in the store's tenant and that the token audience is right ({AppConfigSettings.AudienceVariable} for sovereign clouds and private endpoints)."),
            HttpStatusCode.Forbidden when accessKey => new StoreException(StoreFailureKind.AccessDenied,
                $"{AppConfigErrorCodes.Forbidden}: store {storeUri} refused the access key for {what} (HTTP 403{detail})",
                "Access keys may be disabled on the store (local authentication off): use Entra ID (unset the connection string) with the 'App Configuration Data Reader' role."),
            HttpStatusCode.Forbidden => new StoreException(StoreFailureKind.AccessDenied,
                $"{AppConfigErrorCodes.Forbidden}: reading {what} from store {storeUri} was refused (HTTP 403{detail})",
                "Grant the identity the 'App Configuration Data Reader' role on the store (az role assignment create --role \"App Configuration Data Reader\" --assignee <principal> --scope <store id>)."),
            HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => new StoreException(
                status == 429 ? StoreFailureKind.Throttled : StoreFailureKind.Unavailable,
                $"{AppConfigErrorCodes.Unavailable}: store {storeUri} answered HTTP {status} for {what}{detail}",
                "Retry later; if it persists check the store's request quota (tier) and service health.", retryAfter),
            _ => new StoreException(StoreHttp.KindOf(response.StatusCode),
                $"{AppConfigErrorCodes.Unavailable}: store {storeUri} answered HTTP {status} for {what}{detail}",
                "Check the key and label for characters the store refuses."),
        };
    }

    // The store's own words: WWW-Authenticate's error_description, or a problem+json title/detail. Never the body as is.
    private static string Detail(HttpResponseMessage response, byte[] body)
    {
        // Raw values: App Configuration's challenges ("HMAC-SHA256 error=.. error_description=.., Bearer") are not all RFC 7235.
        if (response.Headers.TryGetValues("WWW-Authenticate", out var challenges))
        {
            foreach (var challenge in challenges)
            {
                var start = challenge.IndexOf("error_description=\"", StringComparison.Ordinal);
                var end = start < 0 ? -1 : challenge.IndexOf('"', start + "error_description=\"".Length);
                if (end > start)
                {
                    return ": " + challenge[(start + "error_description=\"".Length)..end];
                }
            }
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                var text = json.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                    : json.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                return string.IsNullOrEmpty(text) ? string.Empty : ": " + (text.Length > 200 ? text[..200] : text);
            }
        }
        catch (JsonException)
        {
            // Not problem+json: the status says enough.
        }

        return string.Empty;
    }
}
