using ConfigManager.TestSupport;

namespace ConfigManager.Tool.Tests.Support;

/// <summary>
/// A working directory plus a plugin layout whose GOTEST plugin is the Go test plugin (built by
/// <see cref="GoBuild"/>); runs the installed tool with <c>--plugin-dir</c> pointing at the layout.
/// </summary>
public sealed class GoPluginRun : IDisposable
{
    public const string Prefix = "GOTEST";

    private GoPluginRun(string binary, TestSupport.PluginLayout layout, string workDirectory)
    {
        Binary = binary;
        Layout = layout;
        WorkDirectory = workDirectory;
    }

    /// <summary>The Go test plugin executable (what the process table is checked for).</summary>
    public string Binary { get; }

    public TestSupport.PluginLayout Layout { get; }

    public string WorkDirectory { get; }

    /// <summary>Symlinks the Go test plugin as GOTEST (or a CMTEST_MODE wrapper when <paramref name="mode"/> is given).</summary>
    public static GoPluginRun Create(string? mode = null)
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        ProcessTable.EnsureMarked();
        var layout = mode is null ? TestSupport.PluginLayout.WithSymlink(Prefix, binary) : TestSupport.PluginLayout.WithWrapper(Prefix, binary, mode);
        return new GoPluginRun(binary, layout, Directory.CreateTempSubdirectory("cm-tool-work-").FullName);
    }

    public string PathIn(string fileName) => Path.Combine(WorkDirectory, fileName);

    /// <summary>Runs the tool with <c>--plugin-dir</c> = the layout; asserts afterwards that no plugin process is left.</summary>
    public async Task<ToolResult> RunAsync(ToolRunOptions? options, params string[] args)
    {
        var result = await InstalledTool.RunAsync(WorkDirectory, options, [.. args, "--plugin-dir", Layout.Root]);
        ProcessTable.AssertNoneRunning(Binary);
        return result;
    }

    public Task<ToolResult> RunAsync(params string[] args) => RunAsync(null, args);

    public void Dispose()
    {
        Layout.Dispose();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
