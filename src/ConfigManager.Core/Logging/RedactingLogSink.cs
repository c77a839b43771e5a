namespace ConfigManager.Core.Logging;

/// <summary>Passes every message through <see cref="SecretMask.Redact"/> before the inner sink sees it.</summary>
public sealed class RedactingLogSink(ILogSink inner, SecretMask mask) : ILogSink
{
    public void Log(LogLevel level, string message) => inner.Log(level, mask.Redact(message));
}
