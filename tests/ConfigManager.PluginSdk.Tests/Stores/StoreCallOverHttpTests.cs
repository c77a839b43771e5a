using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ConfigManager.PluginSdk.Stores;
using ConfigManager.TestSupport.LocalServers;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.PluginSdk.Tests.Stores;

/// <summary>The store layer against a real local HTTP server: throttling with Retry-After, HTTPS through a test CA, no stray traffic.</summary>
[TestClass]
public sealed class StoreCallOverHttpTests
{
    [TestMethod]
    public async Task A_throttled_GET_waits_as_asked_and_then_gets_the_value()
    {
        await using var server = await LocalHttpServer.StartAsync((_, context) => context.Response.WriteAsync("the-value"));
        server.InjectFaults(new InjectedFault(429, "{\"error\":\"slow down\"}", new Dictionary<string, string> { ["Retry-After"] = "1" }), 2);
        using var client = StoreHttp.CreateClient();

        var value = await StoreCall.RunAsync(async token =>
        {
            using var response = await client.GetAsync(new Uri(server.BaseAddress, "kv/app"), token);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadAsStringAsync(token)
                : throw StoreHttp.Failure(response, "reading kv/app");
        });

        Assert.AreEqual("the-value", value);
        Assert.AreEqual(3, server.Requests.Count);
        Assert.IsTrue(server.Requests.All(request => request.PathAndQuery == "/kv/app"));
    }

    [TestMethod]
    public async Task Throttling_that_never_ends_fails_with_the_attempt_count()
    {
        await using var server = await LocalHttpServer.StartAsync((_, context) => context.Response.WriteAsync("unreachable"));
        server.InjectFaults(new InjectedFault(503, "sealed"), 10);
        using var client = StoreHttp.CreateClient();
        var options = new StoreRetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) };

        var caught = await Assert.ThrowsExactlyAsync<StoreException>(() => StoreCall.RunAsync<string>(async token =>
        {
            using var response = await client.GetAsync(new Uri(server.BaseAddress, "v1/secret/data/app"), token);
            throw StoreHttp.Failure(response, "reading secret/app", "Unseal Vault.");
        }, options));

        Assert.AreEqual(StoreFailureKind.Unavailable, caught.Kind);
        StringAssert.StartsWith(caught.Message, "reading secret/app (HTTP 503) (gave up after 3 attempts");
        StringAssert.EndsWith(caught.Message, "Unseal Vault.");
        Assert.AreEqual(3, server.Requests.Count);
    }

    [TestMethod]
    public async Task The_test_CA_makes_a_local_HTTPS_server_trusted()
    {
        using var ca = TestCertificateAuthority.Create("myvault.vault.test");
        await using var server = await LocalHttpServer.StartAsync((request, context) => context.Response.WriteAsync(request.Header("authorization") ?? "none"), ca.ServerCertificate);
        using var handler = StoreHttp.CreateHandler();
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { X509CertificateLoader.LoadCertificateFromFile(ca.CaCertificatePath) },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseAddress);
        request.Headers.Authorization = new("Bearer", "t");

        Assert.AreEqual("https", server.BaseAddress.Scheme);
        Assert.AreEqual("Bearer t", await (await client.SendAsync(request)).Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task The_proxy_trap_records_and_refuses_traffic_meant_for_other_hosts()
    {
        await using var trap = ProxyTrap.Start();
        using var client = new HttpClient(new HttpClientHandler { Proxy = new WebProxy(trap.ProxyUrl), UseProxy = true });

        using var response = await client.GetAsync("http://169.254.169.254/latest/meta-data/");

        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
        CollectionAssert.AreEqual(new[] { "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1" }, trap.Attempts.ToArray());
    }
}
