using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ConfigManager.TestSupport;

/// <summary>
/// A real Azurite table service (npm <c>azurite@3.37.0</c>, installed on first use into artifacts/azurite)
/// on 127.0.0.1 and a free port, with its data in a temp folder. Dispose kills it by its process id.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft; not a secret).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The development account's well-known key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string Version = "3.37.0";

    private readonly Process _process;
    private readonly string _dataDirectory;

    private Azurite(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        _dataDirectory = dataDirectory;
    }

    public int Port { get; }

    /// <summary>The process id of the azurite-table (node) process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The table endpoint, path-style as emulators use it: <c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public string TableEndpoint => $"http://127.0.0.1:{Port}/{AccountName}";

    /// <summary>A connection string for the development account on this instance.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint};";

    /// <summary>Folder that holds node_modules/.bin/azurite-table (override with CONFIGMANAGER_AZURITE_DIR).</summary>
    public static string InstallDirectory =>
        Environment.GetEnvironmentVariable("CONFIGMANAGER_AZURITE_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepoPaths.Artifacts, "azurite");

    /// <summary>How long Azurite may take to listen: a start-up budget with minutes of margin for a busy machine.</summary>
    public static TimeSpan StartTimeout { get; } = HangGuard.Limit(TimeSpan.FromMinutes(3));

    /// <summary>Installs Azurite if it is missing (npm, ~30 s once), starts it and waits until it accepts connections.</summary>
    public static async Task<Azurite> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = await EnsureInstalledAsync(cancellationToken);
        var port = LoopbackPort.Free();
        var data = Directory.CreateTempSubdirectory("azurite-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", data, "--silent", "--skipApiVersionCheck" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Keep(string? line)
        {
            // The last lines only, for the error message if it never listens.
            if (line is not null)
            {
                output.Enqueue(line);
                while (output.Count > 20 && output.TryDequeue(out _))
                {
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, port, data);
        try
        {
            // Node loads Azurite's few thousand modules first: seconds when quiet, over 30 s seen at load 15 on 2 cores.
            await azurite.WaitUntilListeningAsync(StartTimeout, cancellationToken);
            return azurite;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await azurite.DisposeAsync();
            throw new InvalidOperationException(ex.Message + "; its last output: " + (output.IsEmpty ? "(none)" : string.Join(" | ", output)), ex);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    public static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        var directory = InstallDirectory;
        var executable = Path.Combine(directory, "node_modules", ".bin", "azurite-table");
        using var installLock = await FileLock.AcquireAsync(Path.Combine(directory, ".install.lock"), TimeSpan.FromMinutes(5));
        if (File.Exists(executable))
        {
            return executable;
        }

        var start = new ProcessStartInfo("npm") { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", directory, "azurite@" + Version })
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(start)!;
        var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0 || !File.Exists(executable))
        {
            throw new InvalidOperationException($"npm install azurite@{Version} failed ({npm.ExitCode}):\n{await stdout}{await stderr}");
        }

        return executable;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGKILL by pid: the emulator keeps nothing we need, and never kill by name.
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"azurite-table exited with code {_process.ExitCode} before listening on port {Port}");
            }

            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new TimeoutException($"azurite-table did not listen on 127.0.0.1:{Port} within {timeout.TotalSeconds} s");
    }
}
