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

    private readonly Process _process;
    private readonly string _prefix;
    private readonly PluginLogBuffer _logs;
    private readonly SecretMask _mask;
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stderrPump;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string? _socketDirectory;

    private PluginProcess(Process process, string prefix, string path, string? socketDirectory, PluginLogBuffer logs, SecretMask mask)
    {
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

    public static PluginProcess Start(string prefix, string path, string? clientCertificatePem, PluginLogBuffer logs, SecretMask mask)
    {
        var startInfo = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        PluginLaunchEnvironment.Apply(startInfo.Environment, clientCertificatePem);
        var socketDirectory = CreateSocketDirectory();
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

        PluginProcessReaper.Track(process, socketDirectory);
        return new PluginProcess(process, prefix, path, socketDirectory, logs, mask);
    }

    /// <summary>Reads the first stdout line (the handshake), then drains the rest in the background.</summary>
    public async Task<string> ReadHandshakeLineAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConfigManagerException(
                PluginErrorCodes.HandshakeTimeout,
                $"Plugin {Path} for prefix {_prefix} printed no handshake within {timeout.TotalSeconds:0.###} s (go-plugin's \"timeout while waiting for plugin to start\"). "
                + "Check that it is a configmanager plugin; raise the handshake timeout if it is just slow to start." + StderrSuffix(),
                Path);
        }

        if (line is null)
        {
            await Task.WhenAny(Task.WhenAll(_exited.Task, _stderrPump), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
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
        string[] lines;
        lock (_stderrTail)
        {
            lines = [.. _stderrTail];
        }

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

    /// <summary>Kills if needed, waits for the exit to be observed, releases the handle.</summary>
    public async Task StopAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
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

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cmplugin-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
