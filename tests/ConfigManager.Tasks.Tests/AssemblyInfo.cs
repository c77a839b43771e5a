// Plugin layouts use Unix permissions; the task's Windows path is not exercised here.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

// Each test has its own folders and engine; classes run in parallel.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]
