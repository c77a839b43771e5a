using System.Text;

namespace ConfigManager.TestSupport;

/// <summary>
/// Reads /proc to find processes running a given executable that were started by this test process
/// (they inherit a marker variable set here), so tests can assert that no plugin survived a run.
/// </summary>
public static class ProcessTable
{
    /// <summary>Inherited by every child of this test process; distinguishes our children from other runs.</summary>
    public const string MarkerVariable = "CMTEST_RUN_MARKER";

    private static readonly string s_marker = InitMarker();

    /// <summary>Ids of live (non-zombie) processes whose executable is <paramref name="executable"/> (symlinks resolved) and that carry our marker.</summary>
    public static IReadOnlyList<int> Find(string executable)
    {
        var target = ResolveFully(executable);
        var needle = Encoding.UTF8.GetBytes($"{MarkerVariable}={s_marker}\0");
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var exe = new FileInfo(Path.Combine(dir, "exe")).LinkTarget;
                if (exe is null || !string.Equals(exe, target, StringComparison.Ordinal) || IsZombie(dir))
                {
                    continue;
                }

                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environ.AsSpan().IndexOf(needle) >= 0)
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours.
            }
        }

        return found;
    }

    /// <summary>Waits up to <paramref name="timeout"/> (default 10 s: a killed process may be reaped late on a busy machine) for every such process to end, else fails listing them.</summary>
    public static void AssertNoneRunning(string executable, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        IReadOnlyList<int> live;
        while ((live = Find(executable)).Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.AreEqual(0, live.Count, $"Orphaned plugin processes of {executable}: {string.Join(", ", live)}");
    }

    /// <summary>Makes sure this process carries the marker before any plugin is launched.</summary>
    public static void EnsureMarked() => _ = s_marker;

    private static bool IsZombie(string dir)
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        var close = stat.LastIndexOf(')');
        return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
    }

    private static string ResolveFully(string path)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        if (!Directory.Exists(info.DirectoryName))
        {
            return info.FullName; // never built in this run (e.g. a filtered test run): nothing can be running from it
        }

        var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
        return resolved?.FullName ?? info.FullName;
    }

    private static string InitMarker()
    {
        var marker = Environment.GetEnvironmentVariable(MarkerVariable);
        if (string.IsNullOrEmpty(marker))
        {
            marker = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
            Environment.SetEnvironmentVariable(MarkerVariable, marker);
        }

        return marker;
    }
}
