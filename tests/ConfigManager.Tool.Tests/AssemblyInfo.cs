// File modes, /bin/sh and the process table make these tests POSIX-only.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

// Each test uses its own temp dirs and processes; run classes in parallel to keep the suite short.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]
