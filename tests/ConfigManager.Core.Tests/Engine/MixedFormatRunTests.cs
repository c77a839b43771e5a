using System.Text.Json;
using System.Xml.Linq;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Tests.Support;
using ConfigManager.TestSupport;
using YamlDotNet.RepresentationModel;

namespace ConfigManager.Core.Tests.Engine;

/// <summary>One run over a JSON, an XML and a YAML file, as the MSBuild task and the tool drive the engine.</summary>
[TestClass]
public sealed class MixedFormatRunTests
{
    // The test plugin contract's json/ value.
    private const string PluginJson = """{"user":"alice","password":"s3cr3t-json","nested":{"port":5432,"enabled":true},"list":[1,2]}""";
    private const string Tricky = "p\"a's<s>&\\w\n\tord";

    [TestMethod]
    public async Task One_plan_serves_every_file_and_each_file_gets_its_own_escaping()
    {
        var source = new InMemoryValueSource().With("GOTEST", "json/db", PluginJson).With("GOTEST", "echo/tricky", Tricky);
        var options = new EngineOptions { ExtraPrefixes = ["GOTEST"] };
        const string json = "\uFEFF{\r\n  // database\r\n  \"User\": \"GOTEST://json/db|user\",\r\n  \"Port\": GOTEST://json/db|nested.port\r\n,  \"Pw\": \"GOTEST://echo/tricky\"\r\n}\r\n";
        const string xml = "<configuration>\n  <add key=\"pw\" value=\"GOTEST://echo/tricky\" />\n  <User>GOTEST://json/db|user</User>\n</configuration>\n";
        const string yaml = "db:\n  user: GOTEST://json/db|user\n  password: 'GOTEST://echo/tricky'\n  enabled: GOTEST://json/db|nested.enabled\n";
        var mask = new SecretMask();
        var log = new RecordingLogSink();

        var result = await TokenEngine.ResolveAsync(
            [new SourceDocument("appsettings.json", json), new SourceDocument("web.config", xml), new SourceDocument("values.yaml", yaml)],
            options, source, log, mask, CancellationToken.None);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual(1, source.CallsFor("GOTEST", "json/db"));
        Assert.AreEqual(1, source.CallsFor("GOTEST", "echo/tricky"));

        var jsonOut = result.Documents[0].Text;
        StringAssert.StartsWith(jsonOut, "\uFEFF{\r\n  // database\r\n  \"User\": \"alice\",\r\n  \"Port\": 5432\r\n,");
        using (var document = JsonDocument.Parse(jsonOut.TrimStart('\uFEFF'), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }))
        {
            Assert.AreEqual(Tricky, document.RootElement.GetProperty("Pw").GetString());
            Assert.AreEqual(5432, document.RootElement.GetProperty("Port").GetInt32());
        }

        var config = XDocument.Parse(result.Documents[1].Text, LoadOptions.PreserveWhitespace).Root!;
        Assert.AreEqual(Tricky, config.Element("add")!.Attribute("value")!.Value);
        Assert.AreEqual("alice", config.Element("User")!.Value);

        var stream = new YamlStream();
        stream.Load(new StringReader(result.Documents[2].Text));
        var db = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("db")];
        Assert.AreEqual(Tricky, ((YamlScalarNode)db.Children[new YamlScalarNode("password")]).Value);
        Assert.AreEqual("alice", ((YamlScalarNode)db.Children[new YamlScalarNode("user")]).Value);
        Assert.AreEqual("true", ((YamlScalarNode)db.Children[new YamlScalarNode("enabled")]).Value);

        CollectionAssert.AreEqual(new[] { 3, 4, 5 }, result.Documents[0].Tokens.Select(t => t.Line).ToArray());
        Assert.AreEqual("*** ***", mask.Redact("s3cr3t-json " + Tricky));
        Assert.IsFalse(log.AllText.Contains("s3cr3t", StringComparison.Ordinal));
    }
}
