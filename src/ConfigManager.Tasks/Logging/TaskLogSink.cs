using ConfigManager.Core.Logging;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ConfigManager.Tasks.Logging;

/// <summary>
/// Engine and plugin log lines as MSBuild messages at their level's importance: error and warn high (shown at -v:m),
/// info normal (-v:n), debug and trace low (-v:d); all are in a binlog. Never MSBuild warnings: a chatty plugin
/// must not fail a build that treats warnings as errors.
/// </summary>
/// <remarks>Always wrapped in a <see cref="RedactingLogSink"/>: nothing reaches MSBuild unmasked.</remarks>
internal sealed class TaskLogSink(TaskLoggingHelper log) : ILogSink
{
    public void Log(LogLevel level, string message)
        => log.LogMessage(ImportanceOf(level), "configmanager [{0}] {1}", level.ToString().ToLowerInvariant(), message);

    private static MessageImportance ImportanceOf(LogLevel level) => level switch
    {
        LogLevel.Error or LogLevel.Warn => MessageImportance.High,
        LogLevel.Info => MessageImportance.Normal,
        _ => MessageImportance.Low,
    };
}
