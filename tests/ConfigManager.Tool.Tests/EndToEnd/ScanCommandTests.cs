using System.Text.Json;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

[TestClass]
public sealed class ScanCommandTests
{
    private string _dir = null!;

    [TestInitialize]
    public void Setup() => _dir = Directory.CreateTempSubdirectory("cm-scan-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [TestMethod]
    public async Task Scan_json_lists_every_token_with_exactly_the_documented_fields()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"), """
            {
              "Db": "AWSSECRETS:///app/db|password[version=2]",
              "Plain": "AWSPARAMSTR:///config/url"
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(_dir, "b.yaml"), "key: VAULT:///kv/app|token\n");

        var run = await InstalledTool.RunAsync(_dir, null, "scan", "-i", "appsettings.json", "b.yaml", "--format", "json");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.AreEqual(3, items.Count);
        foreach (var item in items)
        {
            CollectionAssert.AreEqual(
                new[] { "file", "line", "column", "token", "prefix", "path", "keyPath", "metadata" },
                item.EnumerateObject().Select(p => p.Name).ToArray());
        }

        var db = items[0];
        Assert.AreEqual("appsettings.json", db.GetProperty("file").GetString());
        Assert.AreEqual(2, db.GetProperty("line").GetInt32());
        Assert.AreEqual(10, db.GetProperty("column").GetInt32());
        Assert.AreEqual("AWSSECRETS:///app/db|password[version=2]", db.GetProperty("token").GetString());
        Assert.AreEqual("AWSSECRETS", db.GetProperty("prefix").GetString());
        Assert.AreEqual("/app/db", db.GetProperty("path").GetString());
        Assert.AreEqual("password", db.GetProperty("keyPath").GetString());
        Assert.AreEqual("version=2", db.GetProperty("metadata").GetString());
        Assert.AreEqual("b.yaml", items[2].GetProperty("file").GetString());
        Assert.AreEqual("", items[1].GetProperty("keyPath").GetString());
    }

    [TestMethod]
    public async Task Scan_text_prints_file_line_column_and_parts()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "a.txt"), "x\n  url=AWSPARAMSTR#/config|url\n");

        var run = await InstalledTool.RunAsync(_dir, null, "scan", "-s", "#", "-i", "a.txt");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("a.txt:2:7: AWSPARAMSTR#/config|url (prefix AWSPARAMSTR, path /config, key url)\n", run.Stdout);
    }

    [TestMethod]
    public async Task Malformed_token_exits_1_with_coded_error_at_file_line_column()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "bad.json"), "{\n  \"a\": \"AWSSECRETS:///x[]\"\n}\n");

        var run = await InstalledTool.RunAsync(_dir, null, "scan", "-i", "bad.json");

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "bad.json(2,");
        StringAssert.Contains(run.Stderr, "error CM1001");
    }

    [TestMethod]
    public async Task Missing_input_file_exits_6_with_CM4101()
    {
        var run = await InstalledTool.RunAsync(_dir, null, "scan", "-i", "nope.json");

        Assert.AreEqual(6, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CM4101");
        StringAssert.Contains(run.Stderr, "nope.json");
        // The NativeAOT tool keeps the runtime's message texts, not bare resource keys.
        Assert.IsFalse(run.Stderr.Contains("IO_FileNotFound", StringComparison.Ordinal), run.Stderr);
        StringAssert.Contains(run.Stderr, "Could not find file");
    }

    [TestMethod]
    public async Task Installed_plugin_prefixes_are_recognised_without_flags()
    {
        var plugin = Path.Combine(_dir, ".configmanager", "plugins", "mystore", "mystore-linux-amd64");
        Directory.CreateDirectory(Path.GetDirectoryName(plugin)!);
        await File.WriteAllTextAsync(plugin, "#!/bin/sh\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "a.txt"), "MYSTORE:///x OTHER:///y\n");

        var run = await InstalledTool.RunAsync(_dir, null, "scan", "-i", "a.txt", "--prefix", "OTHER");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, "prefix MYSTORE");
        StringAssert.Contains(run.Stdout, "prefix OTHER");
    }
}
