namespace ConfigManager.PluginSdk;

/// <summary>How <see cref="PluginServer"/> serves a plugin; the defaults are what configmanager's host expects.</summary>
public sealed record PluginServerOptions
{
    /// <summary>The name written as <c>@module</c> in the plugin's hclog lines (e.g. <c>env</c>).</summary>
    public string Name { get; init; } = "plugin";

    /// <summary>
    /// Set only for a plugin that makes no outbound TLS connection of its own (ENV, the test plugin; never a cloud
    /// store): on Linux the plugin process then points OpenSSL's <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c> at
    /// <c>/dev/null</c> in its native environment before any crypto runs, so the AutoMTLS handshake, whose peer is
    /// pinned by its exact certificate bytes, does not load the system trust store (≈ 50 ms on the first chain build).
    /// <see cref="Environment.GetEnvironmentVariable(string)"/> and child processes keep the values the plugin was
    /// started with. Any other TLS client in the process would trust no certificate authority at all and fail.
    /// Default <see langword="false"/>.
    /// </summary>
    public bool SkipSystemTrustStore { get; init; }
}
