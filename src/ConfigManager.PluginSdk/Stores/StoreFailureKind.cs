namespace ConfigManager.PluginSdk.Stores;

/// <summary>Why a store call failed; decides whether <see cref="StoreCall"/> retries it and how the error is worded.</summary>
public enum StoreFailureKind
{
    /// <summary>The secret, parameter or key does not exist (or not in that version/label/stage).</summary>
    NotFound,

    /// <summary>The identity is known but may not read it (HTTP 401/403, AccessDenied).</summary>
    AccessDenied,

    /// <summary>The store refused the request as malformed (HTTP 400/422, validation errors).</summary>
    InvalidRequest,

    /// <summary>The plugin cannot even ask: no credentials, no region, an unusable endpoint setting.</summary>
    Misconfigured,

    /// <summary>The store asked us to slow down (HTTP 429, ThrottlingException, TooManyRequestsException).</summary>
    Throttled,

    /// <summary>The store or the network failed (HTTP 5xx, connection refused or reset).</summary>
    Unavailable,

    /// <summary>An attempt took longer than its timeout.</summary>
    Timeout,
}
