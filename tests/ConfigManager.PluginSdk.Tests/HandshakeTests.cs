using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.Protocol.Health;
using ConfigManager.TestSupport;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>The first stdout line: fields, version negotiation, socket placement, the multiplex field.</summary>
[TestClass]
public sealed class HandshakeTests
{
    [TestMethod]
    public async Task Handshake_line_is_core_1_app_1_unix_socket_grpc_and_an_empty_cert_field_without_tls()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());

        var fields = plugin.Fields;
        Assert.HasCount(6, fields, plugin.HandshakeLine);
        Assert.AreEqual("1", fields[0], "core protocol");
        Assert.AreEqual("1", fields[1], "app protocol");
        Assert.AreEqual("unix", fields[2]);
        Assert.AreEqual(plugin.SocketDirectory, Path.GetDirectoryName(fields[3]), "PLUGIN_UNIX_SOCKET_DIR is honoured");
        StringAssert.StartsWith(Path.GetFileName(fields[3]), "plugin");
        Assert.AreEqual("grpc", fields[4]);
        Assert.AreEqual(string.Empty, fields[5]);
        Assert.IsTrue(File.Exists(fields[3]), "the socket exists when the line is written");
    }

    [TestMethod]
    public async Task Socket_goes_to_TMPDIR_when_no_socket_dir_is_given()
    {
        var tmp = Directory.CreateTempSubdirectory("cmsdk-tmpdir-").FullName;
        try
        {
            await using var plugin = await LaunchedPlugin.StartAsync(
                await CSharpPlugins.TestPluginAsync(),
                environment: new Dictionary<string, string?> { ["PLUGIN_UNIX_SOCKET_DIR"] = null, ["TMPDIR"] = tmp });

            Assert.AreEqual(tmp, Path.GetDirectoryName(plugin.Fields[3]));
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("1", "1")]
    [DataRow("3,1,2", "1", DisplayName = "unordered list containing 1")]
    [DataRow("2,3", "1", DisplayName = "no common version: advertise the lowest, the host reports it")]
    [DataRow("x,1", "1", DisplayName = "invalid entries are skipped")]
    [DataRow(null, "1", DisplayName = "unset: the handshake's default version")]
    public async Task Version_negotiation_picks_the_newest_common_version(string? hostVersions, string expected)
    {
        await using var plugin = await LaunchedPlugin.StartAsync(
            await CSharpPlugins.TestPluginAsync(),
            environment: new Dictionary<string, string?> { ["PLUGIN_PROTOCOL_VERSIONS"] = hostVersions });

        Assert.AreEqual(expected, plugin.Fields[1], plugin.HandshakeLine);
    }

    [TestMethod]
    public async Task Invalid_host_version_is_reported_on_stderr()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(
            await CSharpPlugins.TestPluginAsync(),
            environment: new Dictionary<string, string?> { ["PLUGIN_PROTOCOL_VERSIONS"] = "x,1" });

        await WaitUntilAsync(() => plugin.StderrLines.Any(line => line.Contains("\"@level\":\"warn\"", StringComparison.Ordinal) && line.Contains("server sent invalid plugin version", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Multiplex_request_gets_a_seventh_field_false()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(
            await CSharpPlugins.TestPluginAsync(),
            environment: new Dictionary<string, string?> { ["PLUGIN_MULTIPLEX_GRPC"] = "true" });

        Assert.HasCount(7, plugin.Fields, plugin.HandshakeLine);
        Assert.AreEqual("false", plugin.Fields[6]);
    }

    [TestMethod]
    public async Task Plugin_writes_only_the_handshake_line_to_stdout()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());
        var health = new Health.HealthClient(plugin.Channel);
        await health.CheckAsync(new HealthCheckRequest { Service = "plugin" });
        await new ConfigManager.Protocol.TokenStore.TokenStore.TokenStoreClient(plugin.Channel)
            .ValueAsync(new() { Token = "log/x" });

        Assert.IsEmpty(plugin.LaterStdoutLines, string.Join("\n", plugin.LaterStdoutLines));
    }

    [TestMethod]
    public async Task Socket_group_is_applied_with_mode_0660()
    {
        var gid = File.ReadAllText("/proc/self/status").Split('\n').First(line => line.StartsWith("Gid:", StringComparison.Ordinal)).Split('\t')[1];
        await using var plugin = await LaunchedPlugin.StartAsync(
            await CSharpPlugins.TestPluginAsync(),
            environment: new Dictionary<string, string?> { ["PLUGIN_UNIX_SOCKET_GROUP"] = gid });

        var mode = File.GetUnixFileMode(plugin.Fields[3]);
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
    }

    [TestMethod]
    public async Task Unknown_socket_group_fails_start_up_with_a_coded_error()
    {
        var plugin = await CSharpPlugins.TestPluginAsync();
        var run = await ChildProcess.RunAsync(
            plugin, [], TimeSpan.FromSeconds(20), [(LaunchedPlugin.CookieKey, LaunchedPlugin.CookieValue), ("PLUGIN_UNIX_SOCKET_GROUP", "no-such-group-cm")]);

        Assert.AreEqual(1, run.Code);
        Assert.AreEqual(string.Empty, run.Stdout, "no handshake for a plugin that cannot serve");
        StringAssert.Contains(run.Stderr, "CM2103");
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("condition not met in time");
            }

            await Task.Delay(20);
        }
    }
}
