using System.Diagnostics;
using System.Text;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// A launched plugin executable: its handshake line, its stderr (logged, and kept as a short tail for
/// error messages), its drained stdout, and its exit.
/// </summary>
internal sealed class PluginProcess
{
    private const int TailLines = 20;

    /// <summary>go-plugin's bufio.Scanner stops at 64 KiB; a longer first line is not a handshake.</summary>
    public const int MaxHandshakeChars = 64 * 1024;

    private static readonly TimeSpan s_exitedReadGrace = TimeSpan.FromSeconds(2);

    // util-linux setsid(1) execs in place (the child of a .NET process is never a group leader), so the
    // plugin keeps its pid and becomes the leader of its own session and process group.
    private static readonly string? s_setsid = FindSetsid();

    private readonly Process _process;
    private readonly string _prefix;
    private readonly PluginLogBuffer _logs;
    private readonly SecretMask _mask;
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stderrPump;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string? _socketDirectory;

    private readonly int? _processGroup;
    private readonly bool _launchedViaSetsid;

    private PluginProcess(Process process, string prefix, string path, string? socketDirectory, PluginLogBuffer logs, SecretMask mask, int? processGroup)
    {
        _processGroup = processGroup;
        _launchedViaSetsid = processGroup is not null;
        _socketDirectory = socketDirectory;
        _process = process;
        _prefix = prefix;
        Path = path;
        _logs = logs;
        _mask = mask;
        Id = process.Id;
        _stderrPump = Task.Run(PumpStderrAsync);
        _ = Task.Run(WatchExitAsync);
    }

    public string Path { get; }

    public int Id { get; }

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>
    /// Starts <paramref name="path"/>, or, with a lock file or for a package-delivered plugin, the verified copy put in the
    /// launch's private folder (<see cref="PluginLockFile.CopyVerified"/>, <see cref="PackagedPluginCheck.CopyVerified"/>),
    /// so the bytes that were hashed are the bytes that run.
    /// </summary>
    public static PluginProcess Start(string prefix, string path, string? clientCertificatePem, PluginLogBuffer logs, SecretMask mask, PluginLockFile? lockFile = null, PackagedPlugin? package = null)
    {
        var socketDirectory = CreateSocketDirectory();
        string executable;
        try
        {
            if (package is not null && socketDirectory is null)
            {
                PackagedPluginCheck.Verify(prefix, package, path);
                executable = path;
            }
            else if (package is not null)
            {
                executable = PackagedPluginCheck.CopyVerified(prefix, package, path, socketDirectory!);
            }
            else if (lockFile is null)
            {
                executable = path;
            }
            else if (socketDirectory is null)
            {
                // No private folder on Windows: verify in place (the check-to-use window remains there).
                lockFile.Verify(prefix, path);
                executable = path;
            }
            else
            {
                executable = lockFile.CopyVerified(prefix, path, socketDirectory);
            }
        }
        catch
        {
            PluginProcessReaper.DeleteFolder(socketDirectory);
            throw;
        }

        if (s_setsid is not null && !HasExecutableHeader(executable))
        {
            // setsid execs with execvp, which would hand a file of unknown format to /bin/sh; refuse it instead.
            PluginProcessReaper.DeleteFolder(socketDirectory);
            throw new ConfigManagerException(
                PluginErrorCodes.StartFailed,
                $"Plugin {path} for prefix {prefix} could not be started: it is neither an ELF executable nor a #! script. Check that it is a {GoPlatform.Os}/{GoPlatform.Arch} executable.",
                path);
        }

        var startInfo = new ProcessStartInfo(s_setsid ?? executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        if (s_setsid is not null)
        {
            startInfo.ArgumentList.Add(executable);
        }

        PluginLaunchEnvironment.Apply(startInfo.Environment, clientCertificatePem);
        if (socketDirectory is not null)
        {
            // go-plugin < 1.5 puts its socket in $TMPDIR, later versions in PLUGIN_UNIX_SOCKET_DIR: a private
            // folder per launch keeps the socket away from other users and is removed whatever the plugin does.
            startInfo.Environment["TMPDIR"] = socketDirectory;
            startInfo.Environment["PLUGIN_UNIX_SOCKET_DIR"] = socketDirectory;
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            PluginProcessReaper.DeleteFolder(socketDirectory);
            throw new ConfigManagerException(
                PluginErrorCodes.StartFailed,
                $"Plugin {path} for prefix {prefix} could not be started: {ex.Message}. Check that it is a {GoPlatform.Os}/{GoPlatform.Arch} executable.",
                path,
                ex);
        }

        var group = s_setsid is null ? (int?)null : process.Id;
        PluginProcessReaper.Track(process, socketDirectory, group);
        return new PluginProcess(process, prefix, path, socketDirectory, logs, mask, group);
    }

    /// <summary>
    /// Reads the first stdout line (the handshake), at most <see cref="MaxHandshakeChars"/> long, watching the
    /// process exit beside it (a child may hold stdout open after the plugin died), then drains the rest.
    /// </summary>
    public async Task<string> ReadHandshakeLineAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var readSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var read = ReadFirstLineAsync(readSource.Token);
        var timedOut = Task.Delay(timeout, cancellationToken);
        var first = await Task.WhenAny(read, _exited.Task, timedOut).ConfigureAwait(false);
        if (first == _exited.Task)
        {
            // A line printed just before the exit is still in the pipe: give it seconds, not forever.
            await Task.WhenAny(read, Task.Delay(s_exitedReadGrace, CancellationToken.None)).ConfigureAwait(false);
        }

        if (!read.IsCompleted)
        {
            await readSource.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!_exited.Task.IsCompleted)
            {
                throw new ConfigManagerException(
                    PluginErrorCodes.HandshakeTimeout,
                    $"Plugin {Path} for prefix {_prefix} printed no handshake within {timeout.TotalSeconds:0.###} s (go-plugin's \"timeout while waiting for plugin to start\"). "
                    + "Check that it is a configmanager plugin; raise the handshake timeout if it is just slow to start." + StderrSuffix(),
                    Path);
            }
        }

        // A faulted read is the over-long line (CM2013): report that, not the exit that followed it.
        var line = read.IsFaulted ? await read.ConfigureAwait(false) : read.IsCompletedSuccessfully ? read.Result : null;
        if (line is null)
        {
            await Task.WhenAny(Task.WhenAll(_exited.Task, _stderrPump), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (_launchedViaSetsid && _exited.Task.IsCompleted && _exited.Task.Result is 126 or 127 && StderrTail().Any(l => l.StartsWith("setsid: failed to execute", StringComparison.Ordinal)))
            {
                throw new ConfigManagerException(
                    PluginErrorCodes.StartFailed,
                    $"Plugin {Path} for prefix {_prefix} could not be started. Check that it is a {GoPlatform.Os}/{GoPlatform.Arch} executable." + StderrSuffix(),
                    Path);
            }

            var exit = _exited.Task.IsCompleted ? $" with exit code {_exited.Task.Result}" : string.Empty;
            throw new ConfigManagerException(
                PluginErrorCodes.ExitedBeforeHandshake,
                $"Plugin {Path} for prefix {_prefix} exited{exit} before its handshake (\"plugin exited before we could connect\"). "
                + "Run it by hand to see why; a go-plugin plugin refuses to start without configmanager's magic cookie." + StderrSuffix(),
                Path);
        }

        _ = Task.Run(DrainStdoutAsync);
        return line;
    }

    /// <summary>The last stderr lines, redacted, as " Plugin stderr: ..." (or empty).</summary>
    public string StderrSuffix()
    {
        var lines = StderrTail();
        return lines.Length == 0
            ? string.Empty
            : " Plugin stderr (last lines):" + Environment.NewLine + _mask.Redact(string.Join(Environment.NewLine, lines.Select(l => "  " + l)));
    }

    /// <summary>Waits up to <paramref name="grace"/> for the process to exit by itself.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan grace)
    {
        var finished = await Task.WhenAny(_exited.Task, Task.Delay(grace)).ConfigureAwait(false);
        return finished == _exited.Task;
    }

    /// <summary>Kills the process tree (no-op when it has exited) and forgets it.</summary>
    public void Kill()
    {
        if (!_exited.Task.IsCompleted)
        {
            PluginProcessReaper.Kill(_process);
        }
    }

    /// <summary>Kills if needed, waits for the exit to be observed, ends whatever the plugin started, releases the handle.</summary>
    public async Task StopAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        // After a graceful Shutdown the plugin is gone but its children may not be: end its whole group.
        PluginProcessReaper.KillGroup(_processGroup);
        // The plugin's last stderr lines (written just before it ended) still reach the log: the pipe is at its end
        // now, so the reader finishes promptly; bounded in case something outside the group holds the pipe open.
        await Task.WhenAny(_stderrPump, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        PluginProcessReaper.Untrack(_process);
        _process.Dispose();
        PluginProcessReaper.DeleteFolder(_socketDirectory);
    }

    private static string? CreateSocketDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // Only the leaf is created: a TMPDIR that does not exist is an error, never made (a failing run changes nothing).
        var root = System.IO.Path.GetTempPath();
        var path = System.IO.Path.Combine(root, "cmplugin-" + Guid.NewGuid().ToString("N")[..12]);
        if (!Directory.Exists(root))
        {
            throw new ConfigManagerException(
                PluginErrorCodes.StartFailed,
                $"Plugins cannot be started: the temporary directory {root} (TMPDIR) does not exist. Set TMPDIR to an existing, writable directory or unset it.");
        }

        try
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigManagerException(
                PluginErrorCodes.StartFailed,
                $"Plugins cannot be started: no private launch folder could be made in the temporary directory {root} (TMPDIR): {ex.Message} Set TMPDIR to a writable directory.",
                inner: ex);
        }

        return path;
    }

    private async Task WatchExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            _exited.TrySetResult(_process.ExitCode);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            _exited.TrySetResult(-1);
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            var reader = _process.StandardError;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_stderrTail)
                {
                    if (_stderrTail.Count == TailLines)
                    {
                        _stderrTail.Dequeue();
                    }

                    _stderrTail.Enqueue(line);
                }

                _logs.Add(_prefix, PluginLogLine.Parse(line));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe closed with the process.
        }
    }

    private async Task<string?> ReadFirstLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var buffer = new char[4096];
        var reader = _process.StandardOutput;
        while (true)
        {
            var count = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (count == 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }

            var newline = Array.IndexOf(buffer, '\n', 0, count);
            line.Append(buffer, 0, newline < 0 ? count : newline);
            if (line.Length > MaxHandshakeChars)
            {
                throw new ConfigManagerException(
                    PluginErrorCodes.HandshakeUnrecognized,
                    $"Plugin {Path} for prefix {_prefix} printed more than {MaxHandshakeChars / 1024} KiB on stdout without a line break, so it is not a go-plugin handshake. "
                    + "Make sure nothing writes to stdout before plugin.Serve.",
                    Path);
            }

            if (newline >= 0)
            {
                return line.ToString().TrimEnd('\r');
            }
        }
    }

    private string[] StderrTail()
    {
        lock (_stderrTail)
        {
            return [.. _stderrTail];
        }
    }

    private static bool HasExecutableHeader(string path)
    {
        Span<byte> header = stackalloc byte[4];
        try
        {
            using var file = File.OpenRead(path);
            var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return (read == 4 && header.SequenceEqual("\u007fELF"u8)) || (read >= 2 && header[..2].SequenceEqual("#!"u8));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable but maybe executable (mode --x): let the exec itself decide.
            return true;
        }
    }

    private static string? FindSetsid()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        return new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
    }

    private async Task DrainStdoutAsync()
    {
        // go-plugin discards stdout after the handshake; it must still be read or the plugin blocks.
        var buffer = new char[4096];
        try
        {
            var reader = _process.StandardOutput;
            while (await reader.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe closed with the process.
        }
    }
}
