using System.Text.Json;
using System.Xml.Linq;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

[TestClass]
public sealed class StringInputCommandTests
{
    // Needs every escaping rule: quotes, backslash, XML specials, YAML-significant characters.
    private const string Tricky = "p\"a'ss\\w<o>&rd: #x";

    private static ToolRunOptions WithTricky => new() { Environment = { ["CMTEST_TRICKY"] = Tricky } };

    private static void AssertNoSecret(ToolResult run)
        => Assert.IsFalse(run.Stderr.Contains("ss\\w", StringComparison.Ordinal) || run.Stderr.Contains("s3cr3t-json", StringComparison.Ordinal), run.Stderr);

    [TestMethod]
    public async Task Json_input_is_json_escaped_and_still_parses()
    {
        using var go = GoPluginRun.Create();
        await File.WriteAllTextAsync(go.PathIn("appsettings.json"), """
            {
              "ConnectionStrings": { "Db": "Server=db;Password=GOTEST:///env/CMTEST_TRICKY" },
              "Port": "GOTEST:///json/creds|nested.port"
            }
            """);

        var run = await go.RunAsync(WithTricky, "string-input", "-i", "appsettings.json", "-p", "out.json");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(go.PathIn("out.json")));
        Assert.AreEqual($"Server=db;Password={Tricky}", json.RootElement.GetProperty("ConnectionStrings").GetProperty("Db").GetString());
        Assert.AreEqual("5432", json.RootElement.GetProperty("Port").GetString());
        Assert.AreEqual(AtomicSecretMode, File.GetUnixFileMode(go.PathIn("out.json")));
        AssertNoSecret(run);
    }

    [TestMethod]
    public async Task Xml_input_is_xml_escaped_and_still_parses()
    {
        using var go = GoPluginRun.Create();
        await File.WriteAllTextAsync(go.PathIn("web.config"), """
            <configuration>
              <appSettings>
                <add key="pw" value="GOTEST:///env/CMTEST_TRICKY" />
              </appSettings>
              <text>GOTEST:///json/x|user</text>
            </configuration>
            """);

        var run = await go.RunAsync(WithTricky, "fromstr", "-i", "web.config", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var xml = XDocument.Parse(run.Stdout);
        Assert.AreEqual(Tricky, xml.Descendants("add").Single().Attribute("value")!.Value);
        Assert.AreEqual("alice", xml.Descendants("text").Single().Value);
    }

    [TestMethod]
    public async Task Yaml_input_keeps_layout_and_quotes_values()
    {
        using var go = GoPluginRun.Create();
        await File.WriteAllTextAsync(go.PathIn("input.yml"), "# comment kept\ndb:\n  user: GOTEST:///json/x|user\n  password: \"GOTEST:///echo/pa ss\"\n");

        var run = await go.RunAsync("getfromstr", "-i", "input.yml", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("# comment kept\ndb:\n  user: alice\n  password: \"pa ss\"\n", run.Stdout);
    }

    [TestMethod]
    public async Task Dotenv_input_is_replaced_verbatim()
    {
        using var go = GoPluginRun.Create();
        await File.WriteAllTextAsync(go.PathIn("template.env"), "USER=GOTEST:///json/x|user\nOTHER=unchanged\n");

        var run = await go.RunAsync("string-input", "-i", "template.env", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("USER=alice\nOTHER=unchanged\n", run.Stdout);
    }

    [TestMethod]
    public async Task Stdin_is_read_with_dash_and_format_can_be_forced()
    {
        using var go = GoPluginRun.Create();
        var options = new ToolRunOptions { Stdin = "{\"a\":\"GOTEST:///env/CMTEST_TRICKY\"}", Environment = { ["CMTEST_TRICKY"] = Tricky } };

        var run = await go.RunAsync(options, "string-input", "-i", "-", "--format", "json", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.AreEqual(Tricky, json.RootElement.GetProperty("a").GetString());
    }

    [TestMethod]
    public async Task Literal_string_input_is_used_when_no_such_file_exists()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("string-input", "-i", "url=https://GOTEST:///json/x|user@host", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("url=https://alice@host", run.Stdout);
    }

    [TestMethod]
    public async Task Same_input_and_output_path_is_replaced_in_place_atomically()
    {
        using var go = GoPluginRun.Create();
        var path = go.PathIn("appsettings.json");
        await File.WriteAllTextAsync(path, "{\"User\":\"GOTEST:///json/x|user\"}\n");

        var run = await go.RunAsync("string-input", "-i", path, "-p", path);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("{\"User\":\"alice\"}\n", await File.ReadAllTextAsync(path));
        Assert.AreEqual(1, Directory.GetFiles(go.WorkDirectory).Length, "no temp file left beside it");
    }

    [TestMethod]
    public async Task In_place_keeps_a_utf8_bom_and_crlf_line_endings()
    {
        using var go = GoPluginRun.Create();
        var path = go.PathIn("appsettings.json");
        await File.WriteAllBytesAsync(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("{\r\n  \"User\": \"GOTEST:///json/x|user\"\r\n}\r\n")]);

        var run = await go.RunAsync("string-input", "-i", path, "-p", path);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        CollectionAssert.AreEqual(
            (byte[])[0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("{\r\n  \"User\": \"alice\"\r\n}\r\n")],
            await File.ReadAllBytesAsync(path));
    }

    [TestMethod]
    public async Task Failure_leaves_the_in_place_file_untouched()
    {
        using var go = GoPluginRun.Create();
        var path = go.PathIn("appsettings.json");
        const string original = "{\"A\":\"GOTEST:///json/x|user\",\"B\":\"GOTEST:///error/gone\"}\n";
        await File.WriteAllTextAsync(path, original);

        var run = await go.RunAsync("string-input", "-i", path, "-p", path);

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        Assert.AreEqual(original, await File.ReadAllTextAsync(path));
        StringAssert.Contains(run.Stderr, "GOTEST:///error/gone");
    }

    [TestMethod]
    public async Task Missing_key_is_a_resolution_error_naming_the_token_not_the_value()
    {
        using var go = GoPluginRun.Create();
        await File.WriteAllTextAsync(go.PathIn("a.json"), "{\n  \"x\": \"GOTEST:///json/x|nope\"\n}\n");

        var run = await go.RunAsync("string-input", "-i", "a.json", "-p", "stdout");

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "a.json(2,");
        StringAssert.Contains(run.Stderr, "CM3002");
        AssertNoSecret(run);
    }

    [TestMethod]
    public async Task Envsubst_replaces_variables_first()
    {
        using var go = GoPluginRun.Create();
        var options = new ToolRunOptions { Environment = { ["WHICH"] = "echo" } };

        var run = await go.RunAsync(options, "string-input", "-e", "-i", "v=GOTEST:///${WHICH}/hi", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("v=hi", run.Stdout);
    }

    private const UnixFileMode AtomicSecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [TestMethod]
    public async Task A_UTF16_file_with_BOM_is_resolved_and_written_back_in_UTF16_with_its_BOM()
    {
        using var go = GoPluginRun.Create();
        var utf16 = new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        await File.WriteAllBytesAsync(go.PathIn("appsettings.json"), [.. utf16.GetPreamble(), .. utf16.GetBytes("{\"User\":\"GOTEST:///json/x|user\",\"Name\":\"Zoë\"}\n")]);

        var run = await go.RunAsync("string-input", "-i", "appsettings.json", "-p", "out.json");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var bytes = await File.ReadAllBytesAsync(go.PathIn("out.json"));
        CollectionAssert.AreEqual(new byte[] { 0xFF, 0xFE }, bytes[..2], "the BOM is kept");
        Assert.AreEqual("{\"User\":\"alice\",\"Name\":\"Zoë\"}\n", utf16.GetString(bytes[2..]));
    }

    [TestMethod]
    public async Task A_Latin1_byte_in_place_is_CM4104_exit_6_and_the_source_is_not_touched()
    {
        using var go = GoPluginRun.Create();
        var original = System.Text.Encoding.Latin1.GetBytes("USER=GOTEST:///json/x|user\nCITY=Montr\u00e9al\n");
        await File.WriteAllBytesAsync(go.PathIn("template.env"), original);

        var run = await go.RunAsync("string-input", "-i", "template.env", "-p", "template.env");

        Assert.AreEqual(6, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM4104");
        StringAssert.Contains(run.Stderr, "template.env(2,11): 0xE9");
        CollectionAssert.AreEqual(original, await File.ReadAllBytesAsync(go.PathIn("template.env")), "the source is byte-for-byte as it was");
        Assert.AreEqual(1, Directory.GetFiles(go.WorkDirectory).Length, "no temp file left");
    }

    [TestMethod]
    public async Task A_binary_file_is_refused_and_does_not_grow()
    {
        using var go = GoPluginRun.Create();
        var blob = new byte[4096];
        new Random(4096).NextBytes(blob);
        blob[0] = 0xC3;
        blob[1] = 0x28; // an invalid UTF-8 pair first, whatever the random bytes are
        await File.WriteAllBytesAsync(go.PathIn("blob.bin"), blob);

        var run = await go.RunAsync("fromstr", "-i", "blob.bin", "-p", "blob.bin");

        Assert.AreEqual(6, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM4104");
        CollectionAssert.AreEqual(blob, await File.ReadAllBytesAsync(go.PathIn("blob.bin")));
    }
}
