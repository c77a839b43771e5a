using System.Collections;
using System.Collections.Concurrent;
using Microsoft.Build.Framework;

namespace ConfigManager.Tasks.Tests;

/// <summary>
/// The build engine a task sees, in-process: records every error, warning and message it logs. It offers no
/// task-object registration (not an IBuildEngine4), so the task runs its own unshared plugin host.
/// </summary>
internal sealed class RecordingBuildEngine : IBuildEngine
{
    private readonly ConcurrentQueue<BuildEventArgs> _events = new();

    public IReadOnlyList<BuildErrorEventArgs> Errors => [.. _events.OfType<BuildErrorEventArgs>()];

    public IReadOnlyList<BuildWarningEventArgs> Warnings => [.. _events.OfType<BuildWarningEventArgs>()];

    public IReadOnlyList<BuildMessageEventArgs> Messages => [.. _events.OfType<BuildMessageEventArgs>()];

    /// <summary>Every event's message, one a line, for assertion failures and leak checks.</summary>
    public string Log => string.Join(Environment.NewLine, _events.Select(e => $"{e.GetType().Name}: {(e is BuildErrorEventArgs err ? err.Code + " " : e is BuildWarningEventArgs w ? w.Code + " " : string.Empty)}{e.Message}"));

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.proj";

    public void LogErrorEvent(BuildErrorEventArgs e) => _events.Enqueue(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => _events.Enqueue(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => _events.Enqueue(e);

    public void LogCustomEvent(CustomBuildEventArgs e) => _events.Enqueue(e);

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs)
        => throw new NotSupportedException("ConfigManager tasks build no other project.");
}
