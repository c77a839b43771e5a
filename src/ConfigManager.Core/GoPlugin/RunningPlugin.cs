using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Plugins;
using ConfigManager.Core.Resolution;
using ConfigManager.Protocol.GoPlugin;
using ConfigManager.Protocol.Health;
using ConfigManager.Protocol.TokenStore;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace ConfigManager.Core.GoPlugin;

/// <summary>
/// One live plugin: the process, its gRPC channel, the broker and stdio streams kept open, and the
/// TokenStore calls. Shut down with Shutdown, 2 s grace, then kill.
/// </summary>
internal sealed class RunningPlugin
{
    private static readonly TimeSpan s_shutdownGrace = TimeSpan.FromSeconds(2);
    // Only spent when a call failed and the process has not exited yet; seconds, so a crash on a loaded machine is still seen as one.
    private static readonly TimeSpan s_crashProbe = TimeSpan.FromSeconds(2);

    /// <summary>Bulk values (megabytes of data) are left to the engine's mask; secrets are short.</summary>
    private const int MaskedValueLimit = 64 * 1024;

    private readonly string _prefix;
    private readonly PluginProcess _process;
    private readonly GrpcChannel _channel;
    private readonly CertificatePin? _pin;
    private readonly PluginHostOptions _options;
    private readonly PluginLogBuffer _logs;
    private readonly SecretMask _mask;
    private readonly TokenStore.TokenStoreClient _tokenStore;
    private readonly CancellationTokenSource _streams = new();
    private AsyncDuplexStreamingCall<ConnInfo, ConnInfo>? _broker;
    private volatile bool _answered;

    private RunningPlugin(string prefix, PluginProcess process, GrpcChannel channel, CertificatePin? pin, PluginHostOptions options, PluginLogBuffer logs, SecretMask mask)
    {
        _prefix = prefix;
        _process = process;
        _channel = channel;
        _pin = pin;
        _options = options;
        _logs = logs;
        _mask = mask;
        _tokenStore = new TokenStore.TokenStoreClient(channel);
    }

    public string Path => _process.Path;

    public int ProcessId => _process.Id;

    /// <summary>Starts the process, reads its handshake and connects; kills the process on any failure.</summary>
    public static async Task<RunningPlugin> LaunchAsync(
        string prefix, string path, PluginHostOptions options, AutoMtlsCertificate? certificate,
        PluginLogBuffer logs, SecretMask mask, Action onStarted, CancellationToken cancellationToken, PluginLockFile? lockFile = null, PackagedPlugin? package = null)
    {
        // The TLS context costs ~55 ms (trust store); build it while the plugin starts.
        certificate?.Prepare();
        var process = PluginProcess.Start(prefix, path, certificate?.Pem, logs, mask, lockFile, package);
        onStarted();
        try
        {
            var line = await process.ReadHandshakeLineAsync(options.HandshakeTimeout, cancellationToken).ConfigureAwait(false);
            var handshake = HandshakeLine.Parse(line, path);
            CertificatePin? pin = null;
            System.Net.Security.SslStreamCertificateContext? context = null;
            if (certificate is not null && handshake.ServerCertificate is not null)
            {
                pin = new CertificatePin(handshake.ServerCertificate);
                context = await certificate.GetContextAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (certificate is not null)
            {
                // Like go-plugin: a plugin that sends no certificate is reached without TLS.
                logs.Add(prefix, new PluginLogLine(LogLevel.Debug, "sent no AutoMTLS certificate; connecting without TLS"));
            }

            var channel = PluginChannel.Create(handshake, context, pin, options.MaxValueBytes);
            var plugin = new RunningPlugin(prefix, process, channel, pin, options, logs, mask);
            plugin.OpenStreams();
            return plugin;
        }
        catch
        {
            await process.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken)
    {
        if (_process.HasExited)
        {
            throw Crashed(request, "exited earlier");
        }

        var message = new TokenValueRequest
        {
            Token = request.StorePath,
            Metadata = ByteString.CopyFromUtf8(request.Metadata),
        };
        DateTime? deadline = _options.CallTimeout > TimeSpan.Zero && _options.CallTimeout != Timeout.InfiniteTimeSpan
            ? DateTime.UtcNow + _options.CallTimeout
            : null;
        try
        {
            var response = await _tokenStore.ValueAsync(message, deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
            _answered = true;
            // The engine masks every value; doing it here too covers plugin log lines about values it never uses.
            if (response.Value.Length is > 0 and <= MaskedValueLimit)
            {
                _mask.Add(response.Value);
            }

            return response.Value;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A plugin that honours the deadline may answer "context deadline exceeded" before our own timer fires.
            var timedOut = deadline is not null && DateTime.UtcNow >= deadline.Value;
            throw await TranslateAsync(request, ex, timedOut).ConfigureAwait(false);
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The value request was cancelled.", ex, cancellationToken);
        }
    }

    /// <summary>grpc.health.v1 Check of service "plugin"; false when the plugin does not answer SERVING.</summary>
    public async Task<bool> IsServingAsync(CancellationToken cancellationToken)
    {
        var health = new Health.HealthClient(_channel);
        try
        {
            var reply = await health.CheckAsync(new HealthCheckRequest { Service = "plugin" }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken).ConfigureAwait(false);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Graceful stop: close the broker, Shutdown (any answer is success), 2 s grace, then kill.</summary>
    public async Task ShutdownAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                if (_broker is not null)
                {
                    await _broker.RequestStream.CompleteAsync().WaitAsync(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
                }

                var controller = new GRPCController.GRPCControllerClient(_channel);
                await controller.ShutdownAsync(new Empty(), deadline: DateTime.UtcNow + s_shutdownGrace).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RpcException or TimeoutException or InvalidOperationException or ObjectDisposedException)
        {
            // The plugin stops its server from inside Shutdown, so UNAVAILABLE/CANCELLED is the usual answer.
        }
        finally
        {
            await _streams.CancelAsync().ConfigureAwait(false);
            _channel.Dispose();
        }

        if (!await _process.WaitForExitAsync(s_shutdownGrace).ConfigureAwait(false))
        {
            _logs.Add(_prefix, new PluginLogLine(LogLevel.Warn, $"did not exit within {s_shutdownGrace.TotalSeconds} s of Shutdown; killing it"));
        }

        await KillAsync().ConfigureAwait(false);
    }

    /// <summary>Immediate stop (no Shutdown call).</summary>
    public async Task KillAsync()
    {
        await _streams.CancelAsync().ConfigureAwait(false);
        await _process.StopAsync().ConfigureAwait(false);
        _channel.Dispose();
        _streams.Dispose();
    }

    private void OpenStreams()
    {
        // go-plugin hosts open both at once; without a reader the plugin's stdio pump blocks once the pipe fills.
        var token = _streams.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                _broker = new GRPCBroker.GRPCBrokerClient(_channel).StartStream(cancellationToken: token);
                await foreach (var _ in _broker.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
                {
                }
            }
            catch (Exception ex) when (ex is RpcException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // UNIMPLEMENTED from older plugins, or the stream ended with the plugin.
            }
        }, CancellationToken.None);
        _ = Task.Run(async () =>
        {
            try
            {
                using var stdio = new GRPCStdio.GRPCStdioClient(_channel).StreamStdio(new Google.Protobuf.WellKnownTypes.Empty(), cancellationToken: token);
                var pending = new System.Text.StringBuilder();
                await foreach (var chunk in stdio.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
                {
                    if (chunk.Channel == StdioData.Types.Channel.Stderr)
                    {
                        pending.Append(chunk.Data.ToStringUtf8());
                        FlushCompleteLines(pending);
                    }
                }
            }
            catch (Exception ex) when (ex is RpcException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // UNIMPLEMENTED: go-plugin < 1.1 has no GRPCStdio.
            }
        }, CancellationToken.None);
    }

    private void FlushCompleteLines(System.Text.StringBuilder pending)
    {
        var text = pending.ToString();
        var end = text.LastIndexOf('\n');
        if (end < 0)
        {
            return;
        }

        foreach (var line in text[..end].Split('\n'))
        {
            _logs.Add(_prefix, PluginLogLine.Parse(line));
        }

        pending.Remove(0, end + 1);
    }

    /// <summary>
    /// Maps a failed call to a coded error. The RpcException is not kept as the inner exception: its
    /// text is the plugin's own and may hold a value, so only its redacted message is used.
    /// </summary>
    private async Task<ConfigManagerException> TranslateAsync(ValueRequest request, RpcException ex, bool timedOut)
    {
        var (code, message) = await ClassifyAsync(request, ex, timedOut).ConfigureAwait(false);
        if (code == PluginErrorCodes.PluginError)
        {
            _answered = true;
        }

        return new ConfigManagerException(code, _mask.Redact(message), Path);
    }

    private async Task<(string Code, string Message)> ClassifyAsync(ValueRequest request, RpcException ex, bool timedOut)
    {
        var what = $"prefix {request.Prefix}, token {request.StorePath}";
        switch (ex.StatusCode)
        {
            case var _ when timedOut:
            case StatusCode.DeadlineExceeded:
                return (PluginErrorCodes.CallTimeout, $"Plugin {Path} did not answer within {_options.CallTimeout.TotalSeconds:0.###} s ({what}). Raise the call timeout if the store is just slow.");
            case StatusCode.ResourceExhausted when _options.MaxValueBytes is not null:
                return (PluginErrorCodes.ValueTooLarge, $"Plugin {Path} returned a value larger than the {_options.MaxValueBytes} byte limit ({what}). Raise MaxValueBytes if the value is expected.");
            case StatusCode.Unknown when !_process.HasExited && !IsTransportFailure(ex):
                return (PluginErrorCodes.PluginError, $"Plugin {Path} failed ({what}): {ex.Status.Detail}");
        }

        if (await _process.WaitForExitAsync(s_crashProbe).ConfigureAwait(false))
        {
            var crash = Crashed(request, "crashed while answering");
            return (crash.Code, crash.Message);
        }

        if (_pin is { Mismatched: true })
        {
            return (PluginErrorCodes.CertificatePinMismatch, $"Plugin {Path} presented a TLS certificate that differs from the one in its handshake ({what}); refusing the connection.");
        }

        // Before any answer it is the connection that failed; afterwards the transport broke mid-run.
        return (_answered ? PluginErrorCodes.CallFailed : PluginErrorCodes.ConnectFailed, $"Could not talk to plugin {Path} ({what}): {ex.StatusCode}: {ex.Status.Detail}"
            + (ex.Status.DebugException is { } debug ? $" ({debug.GetBaseException().Message})" : string.Empty)
            + (_pin is not null && !_answered ? " With AutoMTLS this usually means the plugin refused the host's client certificate (check PLUGIN_CLIENT_CERT handling in the plugin)." : string.Empty)
            + _process.StderrSuffix());
    }

    private static bool IsTransportFailure(RpcException ex) =>
        ex.Status.DebugException is HttpRequestException or IOException;

    private ConfigManagerException Crashed(ValueRequest request, string how)
    {
        if (ProcessTermination.Requested)
        {
            // The host killed it because this process is being terminated: say so (front ends report a cancellation).
            return new ConfigManagerException(
                PluginErrorCodes.PluginCrashed,
                $"Plugin {Path} was stopped because this process received {ProcessTermination.Signal} (prefix {request.Prefix}, token {request.StorePath}); the run is cancelled.",
                Path);
        }

        var exit = _process.Exited.IsCompleted ? $" (exit code {_process.Exited.Result})" : string.Empty;
        return new ConfigManagerException(
            PluginErrorCodes.PluginCrashed,
            _mask.Redact($"Plugin {Path} {how}{exit} (prefix {request.Prefix}, token {request.StorePath}). Values of other prefixes are unaffected; fix or reinstall the plugin.")
            + _process.StderrSuffix(),
            Path);
    }
}
