using System.Net;
using System.Net.Sockets;
using ConfigManager.PluginSdk.Stores;
using ConfigManager.TestSupport.LocalServers;
using Microsoft.AspNetCore.Http;

namespace ConfigManager.PluginSdk.Tests.Stores;

/// <summary>CustomCaTrust over real TLS on loopback: exactly the given CAs are trusted, the host name is still checked, bad files are refused.</summary>
[TestClass]
public sealed class CustomCaTrustTests
{
    [TestMethod]
    public async Task A_server_signed_by_the_bundle_CA_is_trusted()
    {
        using var ca = TestCertificateAuthority.Create();
        await using var server = await StartAsync(ca);

        Assert.AreEqual("hello", await GetAsync(CustomCaTrust.FromPemFiles([ca.CaCertificatePath]), server.BaseAddress));
    }

    [TestMethod]
    public async Task A_bundle_of_several_CAs_trusts_each_of_them()
    {
        using var other = TestCertificateAuthority.Create();
        using var ca = TestCertificateAuthority.Create();
        var bundle = Path.Combine(ca.Directory, "bundle.pem");
        await File.WriteAllTextAsync(bundle, await File.ReadAllTextAsync(other.CaCertificatePath) + await File.ReadAllTextAsync(ca.CaCertificatePath));
        await using var server = await StartAsync(ca);

        var trust = CustomCaTrust.FromPemFiles([bundle]);

        Assert.AreEqual(2, trust.Count);
        Assert.AreEqual("hello", await GetAsync(trust, server.BaseAddress));
    }

    [TestMethod]
    public async Task A_server_of_another_CA_is_refused_with_a_secure_connection_error()
    {
        using var ca = TestCertificateAuthority.Create();
        using var other = TestCertificateAuthority.Create();
        await using var server = await StartAsync(ca);

        var caught = await Assert.ThrowsExactlyAsync<HttpRequestException>(() => GetAsync(CustomCaTrust.FromPemFiles([other.CaCertificatePath]), server.BaseAddress));

        Assert.AreEqual(HttpRequestError.SecureConnectionError, caught.HttpRequestError);
    }

    [TestMethod]
    public async Task The_host_name_is_still_checked_against_the_certificate()
    {
        using var ca = TestCertificateAuthority.Create();
        await using var server = await StartAsync(ca);
        // The certificate names localhost and the loopback addresses only; connect to loopback under another name.
        var elsewhere = new Uri($"https://not-in-the-certificate.test:{server.Port}/");

        var caught = await Assert.ThrowsExactlyAsync<HttpRequestException>(() => GetAsync(CustomCaTrust.FromPemFiles([ca.CaCertificatePath]), elsewhere, toLoopback: true));

        Assert.AreEqual(HttpRequestError.SecureConnectionError, caught.HttpRequestError);
    }

    [TestMethod]
    public void A_file_without_a_certificate_is_refused_naming_it()
    {
        using var ca = TestCertificateAuthority.Create();
        var empty = Path.Combine(ca.Directory, "empty.pem");
        File.WriteAllText(empty, "not a PEM file\n");

        var caught = Assert.ThrowsExactly<InvalidDataException>(() => CustomCaTrust.FromPemFiles([empty]));

        StringAssert.Contains(caught.Message, empty);
    }

    [TestMethod]
    public void A_missing_file_is_an_IOException_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cm-no-such-bundle-" + Guid.NewGuid().ToString("N") + ".pem");

        var caught = Assert.ThrowsExactly<FileNotFoundException>(() => CustomCaTrust.FromPemFiles([missing]));

        StringAssert.Contains(caught.Message, missing);
    }

    private static Task<LocalHttpServer> StartAsync(TestCertificateAuthority ca) =>
        LocalHttpServer.StartAsync((_, context) => context.Response.WriteAsync("hello"), ca.ServerCertificate);

    private static async Task<string> GetAsync(CustomCaTrust trust, Uri address, bool toLoopback = false)
    {
        using var handler = trust.Apply(StoreHttp.CreateHandler());
        handler.UseProxy = false;
        if (toLoopback)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        using var client = new HttpClient(handler, disposeHandler: false);
        return await client.GetStringAsync(address);
    }
}
