using System.Runtime.InteropServices;
using System.Text;
using ConfigManager.PluginSdk.Handshake;
using ConfigManager.PluginSdk.Logging;
using ConfigManager.PluginSdk.Rpc;
using ConfigManager.PluginSdk.Services;
using ConfigManager.PluginSdk.Transport;
using ConfigManager.Shared;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConfigManager.PluginSdk;

/// <summary>
/// Serves an <see cref="ITokenStore"/> as a HashiCorp go-plugin gRPC plugin that configmanager's hosts
/// (ours and the Go one) launch: magic cookie, version negotiation, Unix socket (loopback TCP on Windows),
/// AutoMTLS, the handshake line, health, controller, stdio and broker services.
/// </summary>
public static class PluginServer
{
    /// <summary>How long a stop may take before the process ends anyway; the host kills after 2 s.</summary>
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// Serves until the host asks the plugin to shut down (or SIGTERM, or <paramref name="cancellationToken"/>).
    /// Returns the process exit code: 0 after a normal shutdown, 1 when not started by a host or unable to serve.
    /// A store that is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> is disposed when serving ends.
    /// </summary>
    /// <example><code>return await PluginServer.RunAsync(new MyStore(), new PluginServerOptions { Name = "mystore" });</code></example>
    public static async Task<int> RunAsync(ITokenStore tokenStore, PluginServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenStore);
        options ??= new PluginServerOptions();
        var log = new PluginLogger(options.Name);

        if (!MagicCookie.IsPresent(Environment.GetEnvironmentVariable(MagicCookie.Key)))
        {
            await Console.Error.WriteAsync(MagicCookie.RefusalMessage).ConfigureAwait(false);
            await Console.Error.FlushAsync(cancellationToken).ConfigureAwait(false);
            return 1;
        }

        // Before any crypto runs and before our threads start: OpenSSL reads SSL_CERT_FILE/SSL_CERT_DIR on the first chain build.
        if (options.SkipSystemTrustStore)
        {
            SystemTrustStore.SkipInThisProcess();
        }

        // Only the handshake may reach the real stdout; everything else printed goes over GRPCStdio.
        using var realStdout = Console.OpenStandardOutput();
        var forwarder = new StdoutForwarder();
        Console.SetOut(forwarder);

        using var lifetime = new PluginLifetime();
        using var stopOnCancel = cancellationToken.Register(lifetime.RequestStop);
        using var signals = HandleSignals(lifetime);
        using var parentWatch = ParentWatch.Start(lifetime, log);

        PluginEndpoint? endpoint = null;
        try
        {
            var version = ProtocolVersion.Negotiate(Environment.GetEnvironmentVariable("PLUGIN_PROTOCOL_VERSIONS"), ProtocolVersion.Supported, log.Warn);
            endpoint = PluginEndpoint.Choose(Environment.GetEnvironmentVariable);
            var clientPem = Environment.GetEnvironmentVariable("PLUGIN_CLIENT_CERT");
            using var tls = string.IsNullOrEmpty(clientPem) ? null : MutualTls.Create(AutoMtls.ParseClientCertificate(clientPem, log.Error));

            using var server = CreateServer(endpoint, tls);
            await server.StartAsync(CreateDispatcher(tokenStore, lifetime, forwarder), cancellationToken).ConfigureAwait(false);

            var group = Environment.GetEnvironmentVariable("PLUGIN_UNIX_SOCKET_GROUP");
            if (endpoint.SocketPath is not null && !string.IsNullOrEmpty(group))
            {
                UnixSocketGroup.Apply(endpoint.SocketPath, group);
            }

            log.Log(PluginLogLevel.Debug, "plugin address", ("network", endpoint.Network), ("address", endpoint.Address));
            var line = HandshakeLine.Format(
                version,
                endpoint.Network,
                endpoint.Address,
                tls?.ServerCertificate.RawData,
                multiplexRequested: !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PLUGIN_MULTIPLEX_GRPC")));
            realStdout.Write(Encoding.ASCII.GetBytes(line));
            realStdout.Flush();

            await WaitAsync(lifetime.Stopping).ConfigureAwait(false);
            using var grace = new CancellationTokenSource(s_stopGrace);
            try
            {
                await server.StopAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Streams that outlive the grace period are cut; the process is ending anyway.
            }

            return 0;
        }
        catch (PluginStartException ex)
        {
            log.Error(ex.Message);
            return 1;
        }
        catch (IOException ex)
        {
            log.Error("CM2102: cannot listen on " + (endpoint?.Address ?? "a socket") + ": " + ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The host only sees "exited before the handshake"; say why on stderr, which it shows.
            log.Error("CM2100: the plugin failed: " + ex);
            return 1;
        }
        finally
        {
            if (endpoint?.SocketPath is { } socketPath)
            {
                File.Delete(socketPath);
            }

            await DisposeAsync(tokenStore).ConfigureAwait(false);
        }
    }

    private static KestrelServer CreateServer(PluginEndpoint endpoint, MutualTls? tls)
    {
        // Kestrel on its own: no generic host, configuration, DI container, logging providers or routing.
        var kestrel = new KestrelServerOptions { AddServerHeader = false };
        kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;

        // A Go host sends and receives up to 2^31-1 bytes; do not be the side that refuses.
        kestrel.Limits.MaxRequestBodySize = null;
        Action<ListenOptions> listen = listenOptions =>
        {
            listenOptions.Protocols = HttpProtocols.Http2;
            if (tls is not null)
            {
                listenOptions.Use(TlsConnectionMiddleware.Create(tls));
            }
        };

        if (endpoint.SocketPath is not null)
        {
            kestrel.ListenUnixSocket(endpoint.SocketPath, listen);
        }
        else
        {
            kestrel.Listen(endpoint.TcpEndPoint!, listen);
        }

        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        return new KestrelServer(Options.Create(kestrel), transport, NullLoggerFactory.Instance);
    }

    private static GrpcDispatcher CreateDispatcher(ITokenStore tokenStore, PluginLifetime lifetime, StdoutForwarder forwarder)
    {
        var tokenStoreService = new TokenStoreService(tokenStore, lifetime);
        var controller = new ControllerService(lifetime);
        var stdio = new StdioService(forwarder, lifetime);
        var broker = new BrokerService(lifetime);
        return new GrpcDispatcher(new Dictionary<string, Func<GrpcCall, Task>>(StringComparer.Ordinal)
        {
            [TokenStoreService.Value] = tokenStoreService.ValueAsync,
            [HealthService.Check] = HealthService.CheckAsync,
            [ControllerService.Shutdown] = controller.ShutdownAsync,
            [StdioService.StreamStdio] = stdio.StreamStdioAsync,
            [BrokerService.StartStream] = broker.StartStreamAsync,
        });
    }

    /// <summary>A store that holds clients or connections gets to close them when serving ends.</summary>
    private static async ValueTask DisposeAsync(ITokenStore tokenStore)
    {
        switch (tokenStore)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private static async Task WaitAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stop requested.
        }
    }

    /// <summary>Like a Go plugin: ignore SIGINT (the host handles Ctrl+C and shuts us down); stop on SIGTERM.</summary>
    private static IDisposable HandleSignals(PluginLifetime lifetime)
    {
        if (OperatingSystem.IsWindows())
        {
            return new CompositeDisposable([]);
        }

        return new CompositeDisposable(
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                lifetime.RequestStop();
            }),
        ]);
    }

    private sealed class CompositeDisposable(IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}
