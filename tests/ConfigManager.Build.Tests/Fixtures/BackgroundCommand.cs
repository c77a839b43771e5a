using System.Diagnostics;
using System.Text;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>
/// A long-running <c>dotnet</c> command (e.g. <c>dotnet run</c> of a web app) in the same clean environment as
/// <see cref="Dotnet.Run(string, System.Collections.Generic.IReadOnlyDictionary{string, string?}, System.TimeSpan, string[])"/>. Disposing kills its whole process tree (dotnet run and the app it started) and waits.
/// </summary>
public sealed class BackgroundCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BackgroundCommand(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static BackgroundCommand Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var startInfo = Dotnet.StartInfo(workingDirectory, environment, arguments);
        var process = new Process { StartInfo = startInfo };
        var command = new BackgroundCommand(process);
        process.OutputDataReceived += (_, e) => command.Append(e.Data);
        process.ErrorDataReceived += (_, e) => command.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return command;
    }

    /// <summary>Every process of the tree still alive (this one and its descendants), from /proc.</summary>
    public IReadOnlyList<int> LiveTree()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && TryParent(dir) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var tree = new List<int>();
        var frontier = new Queue<int>([ProcessId]);
        while (frontier.TryDequeue(out var pid))
        {
            if (parents.ContainsKey(pid))
            {
                tree.Add(pid);
            }

            foreach (var child in parents.Where(p => p.Value == pid).Select(p => p.Key))
            {
                frontier.Enqueue(child);
            }
        }

        return tree;
    }

    /// <summary>Those of <paramref name="pids"/> still running (not zombies) after up to <paramref name="grace"/>, with their command lines.</summary>
    public static IReadOnlyList<string> StillAlive(IReadOnlyList<int> pids, TimeSpan grace)
    {
        var until = DateTime.UtcNow + grace;
        while (true)
        {
            var alive = pids.Where(pid => TryParent("/proc/" + pid) is not null).ToArray();
            if (alive.Length == 0 || DateTime.UtcNow > until)
            {
                return alive.Select(pid => pid + " " + CommandLine(pid)).ToArray();
            }

            Thread.Sleep(250);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }

        _process.WaitForExit(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    public override string ToString() => $"dotnet {string.Join(' ', _process.StartInfo.ArgumentList)}\n{Output}";

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "(gone)";
        }
    }

    private static int? TryParent(string procDir)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText(Path.Combine(procDir, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] == "Z" ? null : int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
