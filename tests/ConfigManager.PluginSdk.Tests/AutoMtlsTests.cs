using System.Security.Cryptography.X509Certificates;
using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.Protocol.TokenStore;
using ConfigManager.TestSupport;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>PLUGIN_CLIENT_CERT switches on TLS: the plugin's cert in field 6, and only the host's cert gets in.</summary>
[TestClass]
public sealed class AutoMtlsTests
{
    [TestMethod]
    public async Task Field_6_is_the_plugins_cert_as_unpadded_base64_DER_shaped_like_go_plugins()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), autoMtls: true);

        var field = plugin.Fields[5];
        Assert.IsGreaterThan(50, field.Length, "a Go host ignores a cert field of 50 characters or fewer");
        Assert.DoesNotContain("=", field, "Go's RawStdEncoding has no padding");
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(field.PadRight(field.Length + ((4 - (field.Length % 4)) % 4), '=')));
        Assert.AreEqual("CN=localhost, O=HashiCorp", certificate.Subject);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        CollectionAssert.AreEqual(new[] { "localhost" }, san.EnumerateDnsNames().ToArray());
        Assert.IsTrue(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(oid => oid.Value).ToArray();
        CollectionAssert.AreEquivalent(new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" }, usages);
        Assert.IsLessThan(DateTime.Now, certificate.NotBefore);
        Assert.IsGreaterThan(DateTime.Now.AddYears(29), certificate.NotAfter);
    }

    [TestMethod]
    public async Task Host_presenting_its_cert_gets_values_over_TLS_with_ALPN_h2()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), autoMtls: true);

        var reply = await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "echo/over-tls" });

        Assert.AreEqual("over-tls", reply.Value);
    }

    [TestMethod]
    public async Task Client_without_a_cert_is_refused()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), autoMtls: true);
        using var channel = plugin.CreateChannel(clientCertificate: null);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new TokenStore.TokenStoreClient(channel).ValueAsync(new TokenValueRequest { Token = "echo/x" }, deadline: DateTime.UtcNow.AddSeconds(10)));

        AssertRefusedConnection(error);
    }

    [TestMethod]
    public async Task Client_with_a_different_cert_is_refused()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), autoMtls: true);
        using var stranger = TestCertificates.CreateHostCertificate();
        using var channel = plugin.CreateChannel(stranger);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new TokenStore.TokenStoreClient(channel).ValueAsync(new TokenValueRequest { Token = "echo/x" }, deadline: DateTime.UtcNow.AddSeconds(10)));

        AssertRefusedConnection(error);
        Assert.IsFalse(plugin.Process.HasExited, "a refused connection does not take the plugin down");
        var reply = await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "echo/still-serving" });
        Assert.AreEqual("still-serving", reply.Value);
    }

    [TestMethod]
    public async Task Plugin_does_not_speak_plaintext_when_TLS_is_on()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), autoMtls: true);
        using var channel = PlainChannelTo(plugin);

        await Assert.ThrowsAsync<RpcException>(async () =>
            await new TokenStore.TokenStoreClient(channel).ValueAsync(new TokenValueRequest { Token = "echo/x" }, deadline: DateTime.UtcNow.AddSeconds(10)));
    }

    [TestMethod]
    public async Task Unparsable_PLUGIN_CLIENT_CERT_is_logged_as_CM2101_and_every_connection_refused_like_a_Go_plugin()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(
            await CSharpPlugins.TestPluginAsync(),
            environment: new Dictionary<string, string?> { ["PLUGIN_CLIENT_CERT"] = "-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----\n" });
        using var someCert = TestCertificates.CreateHostCertificate();
        using var channel = plugin.CreateChannel(someCert);

        Assert.IsGreaterThan(50, plugin.Fields[5].Length, "still serves TLS");
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new TokenStore.TokenStoreClient(channel).ValueAsync(new TokenValueRequest { Token = "echo/x" }, deadline: DateTime.UtcNow.AddSeconds(10)));
        AssertRefusedConnection(error);
        await HandshakeTests.WaitUntilAsync(() => plugin.StderrLines.Any(line => line.Contains("CM2101", StringComparison.Ordinal) && line.Contains("\"@level\":\"error\"", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Under TLS 1.3 the server checks the client cert after the client thinks the handshake is done, so the
    /// refusal surfaces as a failed HTTP/2 start (Unavailable or Internal), never as an auth status. Which
    /// transport error wins the race depends on timing: the HTTP/2 start, or the preface write hitting the
    /// closed socket (broken pipe / connection reset).
    /// </summary>
    private static void AssertRefusedConnection(RpcException error)
    {
        Assert.IsTrue(error.StatusCode is StatusCode.Unavailable or StatusCode.Internal, error.ToString());
        var transportError = error.Status.DebugException?.ToString() ?? error.Status.Detail;
        Assert.IsTrue(
            new[] { "HTTP/2", "Broken pipe", "Connection reset" }.Any(sign => transportError.Contains(sign, StringComparison.Ordinal)),
            transportError);
    }

    private static Grpc.Net.Client.GrpcChannel PlainChannelTo(LaunchedPlugin plugin)
    {
        var address = plugin.Fields[3];
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(address), cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        return Grpc.Net.Client.GrpcChannel.ForAddress("http://localhost", new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = handler });
    }
}
