// Tests change process-wide environment variables (TMPDIR, CONFIGMANAGER_DIR) and count plugin
// processes in the process table, so they run one at a time.
[assembly: DoNotParallelize]

// Plugin layouts use Unix permissions and /proc; the Windows (TCP) path is not exercised here.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
