namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>Finds plugin processes started for one workspace: its wrapper exports CMTEST_WORKSPACE=&lt;root&gt;, which survives the exec.</summary>
public static class PluginProcesses
{
    public static IReadOnlyList<int> RunningFor(TestWorkspace workspace)
    {
        var marker = "CMTEST_WORKSPACE=" + workspace.Root + "\0";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours.
            }
        }

        return found;
    }

    /// <summary>Waits briefly (shutdown is asynchronous at the end of a build), then returns what is still running.</summary>
    public static IReadOnlyList<int> LeftOver(TestWorkspace workspace)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var running = RunningFor(workspace);
            if (running.Count == 0 || DateTime.UtcNow > deadline)
            {
                return running;
            }

            Thread.Sleep(200);
        }
    }
}
