namespace ConfigManager.PluginSdk.Logging;

/// <summary>hclog's levels; the host maps each to its own log level.</summary>
public enum PluginLogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}
