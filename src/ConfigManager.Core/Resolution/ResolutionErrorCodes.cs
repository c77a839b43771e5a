namespace ConfigManager.Core.Resolution;

/// <summary>Stable CM3xxx codes for tokens that could not be resolved.</summary>
public static class ResolutionErrorCodes
{
    /// <summary>The value source failed with something other than a coded <see cref="Diagnostics.ConfigManagerException"/>.</summary>
    public const string ValueSourceFailed = "CM3001";

    /// <summary>The key path matched nothing in the JSON value.</summary>
    public const string KeyNotFound = "CM3002";

    /// <summary>The key path matched more than one node (<c>a.b</c> searches at any depth).</summary>
    public const string KeyAmbiguous = "CM3003";

    /// <summary>A key path was given but the value is not a JSON object or array.</summary>
    public const string ValueNotJson = "CM3004";

    /// <summary>Envsubst: a referenced environment variable is unset or empty.</summary>
    public const string EnvironmentVariableMissing = "CM3010";

    /// <summary>Envsubst: <c>${</c> without a valid name and closing <c>}</c>.</summary>
    public const string EnvironmentReferenceMalformed = "CM3011";

    /// <summary>MaxConcurrencyPerPrefix is below 1.</summary>
    public const string InvalidConcurrency = "CM3020";
}
