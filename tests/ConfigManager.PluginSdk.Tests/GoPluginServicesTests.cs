using System.Runtime.InteropServices;
using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.Protocol.GoPlugin;
using ConfigManager.Protocol.Health;
using ConfigManager.Protocol.TokenStore;
using ConfigManager.TestSupport;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>go-plugin's own services beside TokenStore: health, controller, stdio, broker; and signals.</summary>
[TestClass]
public sealed class GoPluginServicesTests
{
    [TestMethod]
    [DataRow("plugin")]
    [DataRow("")]
    public async Task Health_reports_SERVING(string service)
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());

        var reply = await new Health.HealthClient(plugin.Channel).CheckAsync(new HealthCheckRequest { Service = service });

        Assert.AreEqual(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [TestMethod]
    public async Task Health_of_an_unknown_service_is_NotFound()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Health.HealthClient(plugin.Channel).CheckAsync(new HealthCheckRequest { Service = "nope" }));

        Assert.AreEqual(StatusCode.NotFound, error.StatusCode);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "plain")]
    [DataRow(true, DisplayName = "AutoMTLS")]
    public async Task Shutdown_answers_then_the_process_exits_0_within_2_seconds_and_removes_its_socket(bool autoMtls)
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), autoMtls);
        var broker = new GRPCBroker.GRPCBrokerClient(plugin.Channel).StartStream();
        var stdio = new GRPCStdio.GRPCStdioClient(plugin.Channel).StreamStdio(new Google.Protobuf.WellKnownTypes.Empty());
        await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "echo/warm" });

        try
        {
            await new GRPCController.GRPCControllerClient(plugin.Channel).ShutdownAsync(new Empty());
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Cancelled)
        {
            // A Go plugin may cut the connection before the reply arrives; hosts treat any result as success.
        }

        Assert.IsTrue(await plugin.WaitForExitAsync(TimeSpan.FromSeconds(2)), "the plugin must exit within go-plugin's 2 s grace, even with open streams");
        Assert.AreEqual(0, plugin.Process.ExitCode);
        Assert.IsFalse(File.Exists(plugin.Fields[3]), "the socket file is removed");
        broker.Dispose();
        stdio.Dispose();
    }

    [TestMethod]
    public async Task Stdio_and_broker_streams_stay_open_until_the_host_cancels_them()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());
        using var cancellation = new CancellationTokenSource();
        using var stdio = new GRPCStdio.GRPCStdioClient(plugin.Channel).StreamStdio(new Google.Protobuf.WellKnownTypes.Empty(), cancellationToken: cancellation.Token);
        using var broker = new GRPCBroker.GRPCBrokerClient(plugin.Channel).StartStream(cancellationToken: cancellation.Token);
        await broker.RequestStream.WriteAsync(new ConnInfo { ServiceId = 1, Network = "unix", Address = "/nonexistent" });

        var stdioNext = stdio.ResponseStream.MoveNext(CancellationToken.None);
        var brokerNext = broker.ResponseStream.MoveNext(CancellationToken.None);
        await Task.WhenAny(stdioNext, brokerNext, Task.Delay(1500));
        Assert.IsFalse(stdioNext.IsCompleted, "stdio ended early");
        Assert.IsFalse(brokerNext.IsCompleted, "broker ended early");

        // Meanwhile the plugin keeps answering calls on the same connection.
        var reply = await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "echo/alongside-streams" });
        Assert.AreEqual("alongside-streams", reply.Value);

        cancellation.Cancel();
        var stdioError = await Assert.ThrowsAsync<RpcException>(() => stdioNext);
        Assert.AreEqual(StatusCode.Cancelled, stdioError.StatusCode);
    }

    [TestMethod]
    public async Task SIGINT_is_ignored_and_SIGTERM_stops_the_plugin_with_exit_0()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());

        Assert.AreEqual(0, Kill(plugin.Process.Id, 2));
        await Task.Delay(300);
        Assert.IsFalse(plugin.Process.HasExited, "Ctrl+C is the host's to handle, as with a Go plugin");
        var reply = await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "echo/after-sigint" });
        Assert.AreEqual("after-sigint", reply.Value);

        Assert.AreEqual(0, Kill(plugin.Process.Id, 15));
        Assert.IsTrue(await plugin.WaitForExitAsync(TimeSpan.FromSeconds(3)));
        Assert.AreEqual(0, plugin.Process.ExitCode);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
