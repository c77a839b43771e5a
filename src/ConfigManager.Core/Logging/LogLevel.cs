namespace ConfigManager.Core.Logging;

/// <summary>Levels as hclog names them (trace, debug, info, warn, error).</summary>
public enum LogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}
