namespace ConfigManager.PluginSdk.Logging;

/// <summary>hclog's levels; the host maps each to its own log level.</summary>
public enum PluginLogLevel
{
    /// <summary>Finest detail, for tracing a request.</summary>
    Trace,
    /// <summary>Diagnostic detail.</summary>
    Debug,
    /// <summary>Normal operation.</summary>
    Info,
    /// <summary>Something unexpected the plugin recovered from.</summary>
    Warn,
    /// <summary>A failure.</summary>
    Error,
}
