namespace ConfigManager.Core.Logging;

/// <summary>Passes every message through <see cref="SecretMask.Redact"/> before the inner sink sees it.</summary>
/// <remarks>The one place a redacting sink is made: the engine, the plugin host and both front ends call <see cref="Over"/>.</remarks>
public sealed class RedactingLogSink : ILogSink
{
    private static readonly ILogSink s_silent = new SilentSink();
    private readonly ILogSink _inner;
    private readonly SecretMask _mask;

    private RedactingLogSink(ILogSink inner, SecretMask mask)
    {
        _inner = inner;
        _mask = mask;
    }

    /// <summary>A sink that redacts with <paramref name="mask"/>; <paramref name="inner"/> as is when it already does, silence when null.</summary>
    public static ILogSink Over(ILogSink? inner, SecretMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return inner is RedactingLogSink redacting && ReferenceEquals(redacting._mask, mask)
            ? redacting
            : new RedactingLogSink(inner ?? s_silent, mask);
    }

    public void Log(LogLevel level, string message) => _inner.Log(level, _mask.Redact(message));

    private sealed class SilentSink : ILogSink
    {
        public void Log(LogLevel level, string message)
        {
        }
    }
}
