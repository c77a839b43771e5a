using ConfigManager.Core.Logging;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ConfigManager.Tasks.Logging;

/// <summary>Engine and plugin log lines as low-importance MSBuild messages (visible with -v:d or in a binlog).</summary>
/// <remarks>Always wrapped in a <see cref="RedactingLogSink"/>: nothing reaches MSBuild unmasked.</remarks>
internal sealed class TaskLogSink(TaskLoggingHelper log) : ILogSink
{
    public void Log(LogLevel level, string message)
        => log.LogMessage(MessageImportance.Low, "configmanager [{0}] {1}", level.ToString().ToLowerInvariant(), message);
}
