using System.Diagnostics;
using ConfigManager.TestSupport;

namespace ConfigManager.Tool.Tests.Support;

/// <summary>
/// The tool as users get it: packed once per test run with a unique version into a local feed, then installed
/// with <c>dotnet tool install --tool-path</c> (its own NuGet cache, so nothing stale is picked up).
/// </summary>
public static class InstalledTool
{
    private static readonly Lazy<Task<string>> s_install = new(InstallAsync);

    /// <summary>Unique per test run, e.g. 0.1.0-e2e.1764098000.</summary>
    public static string Version { get; } = $"0.1.0-e2e.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.ProcessId}";

    /// <summary>The local feed the tool was packed into (null when reusing an installed tool).</summary>
    public static string? Feed { get; private set; }

    /// <summary>NUGET_PACKAGES used for installs from <see cref="Feed"/>.</summary>
    public static string NuGetCache => Path.Combine(RepoPaths.Artifacts, "tool-tests", "nuget");

    /// <summary>Path of the installed <c>dotnet-configmanager</c> executable.</summary>
    public static Task<string> PathAsync() => s_install.Value;

    /// <summary>Runs the installed tool in <paramref name="workingDirectory"/> with a private HOME and no CONFIGMANAGER_DIR.</summary>
    public static async Task<ToolResult> RunAsync(string workingDirectory, ToolRunOptions? options, params string[] args)
    {
        options ??= new ToolRunOptions();
        var exe = await PathAsync();
        var psi = new ProcessStartInfo(options.Wrapper is { Length: > 0 } wrapper ? wrapper[0] : exe)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in options.Wrapper is { Length: > 0 } ? [.. options.Wrapper[1..], exe, .. args] : args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Remove("CONFIGMANAGER_DIR");
        psi.Environment["HOME"] = options.Home ?? workingDirectory;
        foreach (var (name, value) in options.Environment)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (options.Stdin is not null)
        {
            await process.StandardInput.WriteAsync(options.Stdin);
        }

        process.StandardInput.Close();
        if (options.OnStarted is not null)
        {
            await options.OnStarted(process);
        }

        using var timeout = new CancellationTokenSource(options.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet-configmanager {string.Join(' ', args)} did not finish in {options.Timeout}. stderr: {await stderr}");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr, process.Id);
    }

    /// <summary>Local iteration only: reuse an already installed tool instead of packing again (CI never sets it).</summary>
    public const string ReuseVariable = "CONFIGMANAGER_TEST_INSTALLED_TOOL";

    private static async Task<string> InstallAsync()
    {
        if (Environment.GetEnvironmentVariable(ReuseVariable) is { Length: > 0 } reuse)
        {
            return reuse;
        }

        DeleteStaleRuns(Path.Combine(RepoPaths.Artifacts, "tool-tests"));
        var root = Path.Combine(RepoPaths.Artifacts, "tool-tests", Version);
        var feed = Path.Combine(root, "feed");
        var toolPath = Path.Combine(root, "tool");
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = NuGetCache };

        var project = Path.Combine(RepoPaths.Root, "src", "ConfigManager.Tool", "ConfigManager.Tool.csproj");

        // A RID-specific tool: the pointer package, then the NativeAOT package for this machine (what users get here).
        // Packing restores from the ordinary cache (the NativeAOT compiler is large); installing uses a private one.
        var ordinary = new Dictionary<string, string>();
        await RunDotnetAsync(ordinary, "pack", project, "-c", "Release", "-o", feed, $"-p:Version={Version}", "-m:1", "--nologo", "-v:q");
        await RunDotnetAsync(ordinary, "pack", project, "-c", "Release", "-o", feed, $"-p:Version={Version}", "-r", "linux-x64", "-m:1", "--nologo", "-v:q");
        await RunDotnetAsync(env, "tool", "install", "--tool-path", toolPath, "--add-source", feed, "ConfigManager.Tool", "--version", Version);
        Feed = feed;
        var exe = Path.Combine(toolPath, "dotnet-configmanager");
        Assert.IsTrue(File.Exists(exe), $"installed tool not found at {exe}");
        StringAssert.Contains(new FileInfo(exe).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? exe, "configmanager.tool.linux-x64", "the NativeAOT package was installed");
        return exe;
    }

    /// <summary>Earlier runs' feeds and installs (tens of MB each); a run older than two hours is finished.</summary>
    private static void DeleteStaleRuns(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var run in Directory.EnumerateDirectories(parent, "0.1.0-e2e.*"))
        {
            if (Directory.GetLastWriteTimeUtc(run) < DateTime.UtcNow.AddHours(-2))
            {
                try
                {
                    Directory.Delete(run, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>Runs <c>dotnet</c> in <see cref="RepoPaths.Root"/> (<see cref="RunDotnetInAsync"/> takes the folder); fails the test on a non-zero exit. Returns stdout.</summary>
    public static Task<string> RunDotnetAsync(IDictionary<string, string> env, params string[] args) => RunDotnetInAsync(RepoPaths.Root, env, args);

    public static async Task<string> RunDotnetInAsync(string workingDirectory, IDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"dotnet {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return await stdout;
    }
}
