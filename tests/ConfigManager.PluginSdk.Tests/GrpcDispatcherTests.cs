using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.Protocol.TokenStore;
using ConfigManager.TestSupport;
using Google.Protobuf;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>
/// The SDK's own gRPC server (Kestrel + a dispatcher, no Grpc.AspNetCore) at its edges, against the real C# test
/// plugin: what a real gRPC client sees, and raw HTTP/2 requests no gRPC client would send.
/// </summary>
[TestClass]
public sealed class GrpcDispatcherTests
{
    [TestMethod]
    [DataRow("proto.TokenStore", "Nope", false, DisplayName = "unknown method of a known service")]
    [DataRow("acme.Vault", "Open", false, DisplayName = "unknown service")]
    [DataRow("acme.Vault", "Open", true, DisplayName = "unknown service, AutoMTLS")]
    public async Task Unknown_method_is_UNIMPLEMENTED_and_the_plugin_keeps_serving(string service, string name, bool autoMtls)
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync(), autoMtls);
        var marshaller = Marshallers.Create(m => m.ToByteArray(), Google.Protobuf.WellKnownTypes.Empty.Parser.ParseFrom);
        var method = new Method<Google.Protobuf.WellKnownTypes.Empty, Google.Protobuf.WellKnownTypes.Empty>(MethodType.Unary, service, name, marshaller, marshaller);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await plugin.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, new Google.Protobuf.WellKnownTypes.Empty()));

        Assert.AreEqual(StatusCode.Unimplemented, error.StatusCode);
        Assert.AreEqual("echo-ok", (await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "echo/echo-ok" })).Value);
    }

    [TestMethod]
    public async Task Grpc_timeout_header_ends_a_slow_call_with_DEADLINE_EXCEEDED_from_the_plugin_itself()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());
        using var http = plugin.CreateHttpClient();
        var clock = Stopwatch.StartNew();

        // No client-side deadline: only the plugin can end this call before the store's 60 s sleep.
        using var response = await SendAsync(http, new TokenValueRequest { Token = "sleep/60000" }, grpcTimeout: "300m");

        Assert.AreEqual("4", GrpcStatus(response), "DEADLINE_EXCEEDED");
        Assert.IsLessThan(TimeSpan.FromSeconds(30), clock.Elapsed, "the 300 ms grpc-timeout, not the 60 s sleep, ended the call");
        Assert.AreEqual("slept 10", (await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "sleep/10" })).Value);
    }

    [TestMethod]
    public async Task Compressed_message_is_refused_as_UNIMPLEMENTED_and_the_plugin_keeps_serving()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());
        using var http = plugin.CreateHttpClient();

        using var response = await SendAsync(http, new TokenValueRequest { Token = "echo/x" }, compressedFlag: 1);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("12", GrpcStatus(response));
        StringAssert.Contains(Header(response, "grpc-message"), "Compressed");
        Assert.AreEqual("identity", Header(response, "grpc-accept-encoding"));
        Assert.AreEqual("x", (await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "echo/x" })).Value);
    }

    [TestMethod]
    public async Task Success_is_status_200_application_grpc_with_the_value_then_grpc_status_0_in_trailers()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());
        using var http = plugin.CreateHttpClient();

        using var response = await SendAsync(http, new TokenValueRequest { Token = "echo/raw" });
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(0, body[0], "uncompressed");
        Assert.AreEqual(body.Length - 5, (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)));
        Assert.AreEqual("raw", TokenValueResponse.Parser.ParseFrom(body.AsSpan(5)).Value);
        Assert.IsTrue(response.TrailingHeaders.TryGetValues("grpc-status", out var status) && status.Single() == "0", "grpc-status 0 in the trailers");
    }

    [TestMethod]
    public async Task Non_grpc_content_type_is_HTTP_415()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());
        using var http = plugin.CreateHttpClient();
        using var request = Request(new TokenValueRequest { Token = "echo/x" }, grpcTimeout: null, compressedFlag: 0);
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await http.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [TestMethod]
    public async Task Error_message_with_percent_and_non_ASCII_arrives_intact_through_grpc_message_encoding()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(await CSharpPlugins.TestPluginAsync());

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new TokenStore.TokenStoreClient(plugin.Channel).ValueAsync(new TokenValueRequest { Token = "error/100% café\tdone" }));

        Assert.AreEqual(StatusCode.Unknown, error.StatusCode);
        Assert.AreEqual("100% café\tdone", error.Status.Detail);
    }

    [TestMethod]
    public async Task SkipSystemTrustStore_never_reads_a_trust_store_and_keeps_the_users_SSL_variables()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("the OpenSSL trust-store variables are a Linux matter");
        }

        var strace = new[] { "/usr/bin/strace", "/bin/strace" }.FirstOrDefault(File.Exists);
        if (strace is null)
        {
            Assert.Inconclusive("strace is not installed (.ci/run installs it): cannot observe which files the plugin opens");
        }

        var work = Directory.CreateTempSubdirectory("cmsdk-ssl-").FullName;
        try
        {
            var certFile = Path.Combine(work, "ca-bundle.crt");
            File.WriteAllText(certFile, "");
            var certDirectory = Directory.CreateDirectory(Path.Combine(work, "certs")).FullName;
            var trace = Path.Combine(work, "open.trace");
            var environment = new Dictionary<string, string?> { ["SSL_CERT_FILE"] = certFile, ["SSL_CERT_DIR"] = certDirectory };

            await using (var plugin = await LaunchedPlugin.StartAsync(
                await CSharpPlugins.TestPluginAsync(), autoMtls: true, environment, TimeSpan.FromMinutes(2),
                [strace, "-f", "-qq", "-e", "trace=open,openat,openat2", "-o", trace]))
            {
                // A call over AutoMTLS: the plugin has built its certificate context and checked the host's chain.
                var client = new TokenStore.TokenStoreClient(plugin.Channel);
                Assert.AreEqual(certFile, (await client.ValueAsync(new TokenValueRequest { Token = "env/SSL_CERT_FILE" })).Value);
                Assert.AreEqual(certDirectory, (await client.ValueAsync(new TokenValueRequest { Token = "env/SSL_CERT_DIR" })).Value);

                // A graceful end, so that strace (not killed) writes its whole trace.
                try
                {
                    await new ConfigManager.Protocol.GoPlugin.GRPCController.GRPCControllerClient(plugin.Channel).ShutdownAsync(new ConfigManager.Protocol.GoPlugin.Empty());
                }
                catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Cancelled)
                {
                    // The plugin may close the connection before the reply arrives; hosts treat any result as success.
                }

                Assert.IsTrue(await plugin.WaitForExitAsync(TimeSpan.FromMinutes(1)), "the plugin (under strace) ended after Shutdown");
            }

            var opened = File.ReadAllLines(trace).Where(line => line.Contains("open", StringComparison.Ordinal)).ToList();
            Assert.IsGreaterThan(10, opened.Count, "strace saw the plugin's opens");
            var storeOpens = opened.Where(line => line.Contains(certFile, StringComparison.Ordinal) || line.Contains(certDirectory, StringComparison.Ordinal)
                                                  || line.Contains("/etc/ssl/certs", StringComparison.Ordinal)).ToList();
            Assert.IsEmpty(storeOpens, "the plugin loaded a trust store it never uses:\n" + string.Join('\n', storeOpens));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, IMessage message, string? grpcTimeout = null, byte compressedFlag = 0)
    {
        using var request = Request(message, grpcTimeout, compressedFlag);
        var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response;
    }

    private static HttpRequestMessage Request(IMessage message, string? grpcTimeout, byte compressedFlag)
    {
        var payload = message.ToByteArray();
        var body = new byte[5 + payload.Length];
        body[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(body.AsSpan(5));
        var request = new HttpRequestMessage(HttpMethod.Post, "/proto.TokenStore/Value")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (grpcTimeout is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-timeout", grpcTimeout);
        }

        return request;
    }

    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
    private static string? GrpcStatus(HttpResponseMessage response) => Header(response, "grpc-status");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
        : response.Headers.TryGetValues(name, out var header) ? header.Single()
        : null;
}
