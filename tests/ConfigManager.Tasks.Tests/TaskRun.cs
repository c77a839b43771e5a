using ConfigManager.TestSupport;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ConfigManager.Tasks.Tests;

/// <summary>
/// One test's project: <c>&lt;root&gt;/app</c> beside <c>&lt;root&gt;/.configmanager</c> holding the C# test plugin (CSTEST),
/// so the task's working-directory search from the project folder finds it. Deleted on dispose.
/// </summary>
internal sealed class TaskRun : IDisposable
{
    private readonly PluginLayout _layout;

    public TaskRun()
    {
        Binary = TestPlugins.BinaryPath(TestPluginKind.CSharp);
        _layout = PluginLayout.WithSymlink("cstest", Binary);
        ProjectDirectory = Directory.CreateDirectory(Path.Combine(_layout.Root, "app")).FullName;
    }

    public RecordingBuildEngine Engine { get; } = new();

    /// <summary>The test plugin's real executable (what the process table shows).</summary>
    public string Binary { get; }

    public string Root => _layout.Root;

    public string ProjectDirectory { get; }

    /// <summary>Where the resolved copy of <c>name</c> goes (the targets put it under obj/).</summary>
    public string OutputPath(string name) => Path.Combine(ProjectDirectory, "obj", "configmanager", name);

    public ITaskItem Source(string name, string text, string? format = null)
    {
        var path = Path.Combine(ProjectDirectory, name);
        File.WriteAllText(path, text);
        var item = new TaskItem(path);
        item.SetMetadata("OutputPath", OutputPath(name));
        if (format is not null)
        {
            item.SetMetadata("Format", format);
        }

        return item;
    }

    /// <summary>The task as the targets call it: this project, no ambient CONFIGMANAGER_DIR, timeouts with margins of seconds.</summary>
    public ResolveConfigTokens Task(params ITaskItem[] files) => new()
    {
        BuildEngine = Engine,
        Files = files,
        ProjectDirectory = ProjectDirectory,
        HandshakeTimeout = "30s",
        CallTimeout = "30s",
    };

    public void Dispose() => _layout.Dispose();
}
