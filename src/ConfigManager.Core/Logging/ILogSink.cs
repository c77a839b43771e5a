namespace ConfigManager.Core.Logging;

/// <summary>Where the engine, the plugin host and plugins' stderr write their messages.</summary>
public interface ILogSink
{
    void Log(LogLevel level, string message);
}
