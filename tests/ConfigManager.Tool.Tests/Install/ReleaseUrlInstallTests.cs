using System.Security.Cryptography;
using System.Text;
using ConfigManager.Core.Plugins;
using ConfigManager.TestSupport;
using ConfigManager.Tool.Install;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.Install;

/// <summary>
/// <c>init --source &lt;release base URL&gt;</c> (configmanager's GitHub release binaries): only with a checksum (--sha256 or a
/// .sha256 beside the binary); an error status or an HTML page is never saved; nothing is written until the hash matches.
/// </summary>
[TestClass]
public sealed class ReleaseUrlInstallTests
{
    private string _dir = null!;
    private HttpClient _http = null!;

    [TestInitialize]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("cm-release-").FullName;
        _http = new HttpClient();
    }

    [TestCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Root => Path.Combine(_dir, "project");

    private PluginInstaller Installer() => new(new InstallLayout(new PluginLocator(Root, Root, Root)), _http);

    private static string Name(string prefix) => GoPlatform.PluginFileName(prefix);

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private void AssertNothingWritten()
        => Assert.IsFalse(Directory.Exists(Root), "no plugin, no temp file, no lock file, no empty folder");

    [TestMethod]
    public async Task Release_url_without_any_checksum_is_CM5060_and_nothing_is_written()
    {
        using var server = new LoopbackFileServer();
        server.Add("/download/v1.0.0/" + Name("awssecrets"), FakeBinary.Bytes(4096));

        var result = await Installer().InstallAsync(["awssecrets"], server.BaseUrl + "/download/v1.0.0", null, CancellationToken.None);

        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5060", error.Code);
        StringAssert.Contains(error.Message, "--sha256");
        StringAssert.Contains(error.Message, ".sha256");
        AssertNothingWritten();
    }

    [TestMethod]
    public async Task Release_url_with_a_matching_sha256_option_installs_and_pins()
    {
        var bytes = FakeBinary.Bytes(100_000);
        using var server = new LoopbackFileServer();
        server.Add("/download/v1.0.0/" + Name("awssecrets"), bytes);

        var result = await Installer().InstallAsync(["awssecrets"], server.BaseUrl + "/download/v1.0.0", null, CancellationToken.None, Sha(bytes).ToUpperInvariant());

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        var installed = result.Installed.Single();
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(installed.Path));
        CollectionAssert.Contains(installed.VerifiedAgainst.ToList(), "--sha256");
        StringAssert.Contains(await File.ReadAllTextAsync(Path.Combine(Root, ".configmanager", "plugins.lock.json")), Sha(bytes));
    }

    [TestMethod]
    public async Task Release_url_with_a_different_sha256_option_is_CM5053_and_nothing_is_written()
    {
        using var server = new LoopbackFileServer();
        server.Add("/" + Name("awssecrets"), FakeBinary.Bytes(4096));

        var result = await Installer().InstallAsync(["awssecrets"], server.BaseUrl, null, CancellationToken.None, new string('a', 64));

        Assert.AreEqual("CM5053", result.Diagnostics.Single().Code);
        AssertNothingWritten();
    }

    [TestMethod]
    public async Task Html_page_served_as_the_binary_is_CM5061_even_with_a_published_checksum_of_it()
    {
        // A login or error page with status 200 and no Content-Type: its checksum is beside it, yet it is not a binary.
        var page = Encoding.UTF8.GetBytes("\n  <!DOCTYPE html><html><body>Sign in</body></html>");
        using var server = new LoopbackFileServer();
        server.Add("/" + Name("awssecrets"), page);
        server.Add("/" + Name("awssecrets") + ".sha256", Encoding.ASCII.GetBytes(Sha(page) + "\n"));

        var result = await Installer().InstallAsync(["awssecrets"], server.BaseUrl, null, CancellationToken.None);

        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5061", error.Code);
        StringAssert.Contains(error.Message, "HTML");
        AssertNothingWritten();
    }

    [TestMethod]
    public async Task Html_content_type_is_CM5061_before_the_body_is_read()
    {
        var bytes = FakeBinary.Bytes(4096);
        using var server = new LoopbackFileServer();
        server.Add("/" + Name("awssecrets"), bytes, "text/html; charset=utf-8");

        var result = await Installer().InstallAsync(["awssecrets"], server.BaseUrl, null, CancellationToken.None, Sha(bytes));

        Assert.AreEqual("CM5061", result.Diagnostics.Single().Code);
        AssertNothingWritten();
    }

    [TestMethod]
    public async Task Http_error_status_is_CM5052_and_never_saved_even_with_a_sha256_option()
    {
        using var server = new LoopbackFileServer();

        var result = await Installer().InstallAsync(["awssecrets"], server.BaseUrl, null, CancellationToken.None, new string('b', 64));

        var error = result.Diagnostics.Single();
        Assert.AreEqual("CM5052", error.Code);
        StringAssert.Contains(error.Message, "404");
        AssertNothingWritten();
    }

    [TestMethod]
    [DataRow("not-hex")]
    [DataRow("abc")]
    public async Task Sha256_option_that_is_not_a_digest_is_CM5050_before_any_request(string sha256)
    {
        using var server = new LoopbackFileServer();

        var result = await Installer().InstallAsync(["awssecrets"], server.BaseUrl, null, CancellationToken.None, sha256);

        Assert.AreEqual("CM5050", result.Diagnostics.Single().Code);
        Assert.IsTrue(server.Requests.IsEmpty);
        AssertNothingWritten();
    }

    [TestMethod]
    public async Task Sha256_option_with_two_plugins_is_CM5050()
    {
        using var server = new LoopbackFileServer();

        var result = await Installer().InstallAsync(["a", "b"], server.BaseUrl, null, CancellationToken.None, new string('c', 64));

        Assert.AreEqual("CM5050", result.Diagnostics.Single().Code);
        Assert.IsTrue(server.Requests.IsEmpty);
    }

    [TestMethod]
    [DataRow("../../etc")]
    [DataRow("/abs")]
    [DataRow("a/b")]
    public async Task Traversal_prefix_with_a_release_url_is_CM5050_before_any_request(string prefix)
    {
        using var server = new LoopbackFileServer();

        var result = await Installer().InstallAsync([prefix], server.BaseUrl, null, CancellationToken.None, new string('c', 64));

        Assert.AreEqual("CM5050", result.Diagnostics.Single().Code);
        Assert.IsTrue(server.Requests.IsEmpty);
        AssertNothingWritten();
    }
}
