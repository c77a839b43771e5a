using ConfigManager.Core.Logging;

namespace ConfigManager.Tasks.Logging;

/// <summary>
/// The sink a shared plugin host writes to. It outlives any one task, so it forwards to whichever task is
/// running now and drops lines that arrive between tasks (a finished task's logger must not be used).
/// </summary>
internal sealed class ForwardingLogSink : ILogSink
{
    private readonly object _gate = new();
    private ILogSink? _target;

    public IDisposable Attach(ILogSink target)
    {
        lock (_gate)
        {
            var previous = _target;
            _target = target;
            return new Detach(this, target, previous);
        }
    }

    public void Log(LogLevel level, string message)
    {
        lock (_gate)
        {
            _target?.Log(level, message);
        }
    }

    private sealed class Detach(ForwardingLogSink owner, ILogSink attached, ILogSink? previous) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                if (ReferenceEquals(owner._target, attached))
                {
                    owner._target = previous;
                }
            }
        }
    }
}
