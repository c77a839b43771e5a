using System.Diagnostics;
using System.Globalization;

namespace ConfigManager.TestSupport.LocalServers.Aws;

/// <summary>
/// A real moto server (<c>moto_server -H 127.0.0.1 -p PORT</c>, moto 5.2.1, Python) on a free loopback port: the AWS
/// emulator the AWS store plugins are tested against. <see cref="PluginEnvironment"/> gives a plugin process exactly
/// the variables it needs to reach it (endpoint, dummy keys, region) and shuts every other credential source off.
/// Dispose kills it by its process id (whole tree) and deletes its temp folder.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    /// <summary>Dummy keys moto accepts (it does not check signatures); not secrets.</summary>
    public const string AccessKeyId = "AKIAMOTOTESTKEY00000";

    public const string SecretAccessKey = "moto-test-secret-access-key-not-a-secret";

    public const string Region = "us-east-1";

    private readonly Process _process;
    private readonly string _directory;

    private MotoServer(Process process, int port, string directory)
    {
        _process = process;
        _directory = directory;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The moto_server (python) process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>A temp folder of this instance's own (empty AWS config/credentials files live here).</summary>
    public string Directory => _directory;

    /// <summary>moto_server on PATH, or null.</summary>
    public static string? FindExecutable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "moto_server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts moto on a free port and waits (up to 60 s: Python starts slowly on a busy machine) until it answers.</summary>
    public static async Task<MotoServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException("moto_server not found on PATH: pip install 'moto[server]==5.2.1' (the AWS plugin tests need the real emulator; they fail rather than skip)");
        var directory = System.IO.Directory.CreateTempSubdirectory("moto-").FullName;
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        // moto itself must not reach out either (it never needs to); keep the proxies of the test process away from it.
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy" })
        {
            start.Environment.Remove(name);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var moto = new MotoServer(process, port, directory);
        try
        {
            await moto.WaitUntilAnsweringAsync(HangGuard.Limit(TimeSpan.FromSeconds(60)), cancellationToken);
            return moto;
        }
        catch
        {
            await moto.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What a plugin process needs to reach this server and nothing else: the endpoint, dummy keys and region; AWS
    /// config/credentials files that do not exist (the developer's ~/.aws is never read), no profile, no web identity,
    /// no ECS container credentials, no EC2 metadata. A null value removes the variable.
    /// </summary>
    public IReadOnlyList<(string Name, string? Value)> PluginEnvironment() => EnvironmentFor(Endpoint, _directory);

    /// <summary>The same variables pointed at <paramref name="endpoint"/> (a proxy in front of moto).</summary>
    public static IReadOnlyList<(string Name, string? Value)> EnvironmentFor(Uri endpoint, string directory) =>
    [
        ("AWS_ENDPOINT_URL", endpoint.ToString().TrimEnd('/')),
        ("AWS_ENDPOINT_URL_SSM", null),
        ("AWS_ENDPOINT_URL_SECRETS_MANAGER", null),
        ("AWS_ACCESS_KEY_ID", AccessKeyId),
        ("AWS_SECRET_ACCESS_KEY", SecretAccessKey),
        ("AWS_SESSION_TOKEN", null),
        ("AWS_REGION", Region),
        ("AWS_DEFAULT_REGION", null),
        ("AWS_PROFILE", null),
        ("AWS_DEFAULT_PROFILE", null),
        ("AWS_CONFIG_FILE", Path.Combine(directory, "no-config")),
        ("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(directory, "no-credentials")),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", null),
        ("AWS_ROLE_ARN", null),
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", null),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", null),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", null),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", null),
        ("AWS_CA_BUNDLE", null),
    ];

    /// <summary>A client that speaks AWS's JSON 1.1 APIs to this server (seeding, reading back).</summary>
    public AwsJsonClient Client() => new(Endpoint);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // By pid, the whole tree: the emulator keeps nothing we need; never by name.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode} before answering on {Endpoint}");
            }

            try
            {
                using var reply = await http.GetAsync(new Uri(Endpoint, "moto-api/data.json"), cancellationToken);
                if (reply.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"moto_server did not answer on {Endpoint} within {timeout.TotalSeconds} s");
    }
}
