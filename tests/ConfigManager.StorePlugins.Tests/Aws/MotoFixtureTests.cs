using System.Text.Json.Nodes;
using ConfigManager.TestSupport.LocalServers.Aws;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>The moto fixture itself: it starts, seeds and reads back through the real JSON APIs, counts and throttles through the proxy, and leaves no process.</summary>
[TestClass]
public sealed class MotoFixtureTests
{
    [TestMethod]
    public async Task Moto_starts_seeds_reads_back_counts_throttles_and_stops_with_no_process_left()
    {
        int pid;
        await using (var moto = await MotoServer.StartAsync())
        {
            pid = moto.ProcessId;
            Assert.IsTrue(moto.Endpoint.IsLoopback);
            using var client = moto.Client();
            Assert.AreEqual(1L, await client.PutParameterAsync("/fixture/one", "first", "SecureString"));
            Assert.AreEqual(2L, await client.PutParameterAsync("/fixture/one", "second", "SecureString", overwrite: true));
            await client.LabelParameterVersionAsync("/fixture/one", 1, "old");
            var secret = await client.CreateSecretAsync("fixture/secret", secretString: "s1");
            var second = await client.PutSecretValueAsync("fixture/secret", secretString: "s2");
            Assert.AreNotEqual(secret["VersionId"]!.GetValue<string>(), second["VersionId"]!.GetValue<string>());

            await using var proxy = await AwsCountingProxy.StartAsync(moto);
            using var viaProxy = new AwsJsonClient(proxy.Endpoint);
            proxy.Throttle("AmazonSSM.GetParameters", 1);
            var throttled = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => viaProxy.CallAsync("AmazonSSM.GetParameters", new JsonObject { ["Names"] = new JsonArray("/fixture/one") }));
            StringAssert.Contains(throttled.Message, "ThrottlingException");

            var reply = await viaProxy.CallAsync("AmazonSSM.GetParameters", new JsonObject
            {
                ["Names"] = new JsonArray("/fixture/one:old", "/fixture/missing"),
                ["WithDecryption"] = true,
            });
            Assert.AreEqual("first", reply["Parameters"]![0]!["Value"]!.GetValue<string>());
            Assert.AreEqual("/fixture/missing", reply["InvalidParameters"]![0]!.GetValue<string>());
            var current = await viaProxy.CallAsync("secretsmanager.GetSecretValue", new JsonObject { ["SecretId"] = "fixture/secret" });
            Assert.AreEqual("s2", current["SecretString"]!.GetValue<string>());

            Assert.AreEqual(2, proxy.Count("AmazonSSM.GetParameters"));
            Assert.AreEqual(1, proxy.Count("secretsmanager.GetSecretValue"));
            var environment = proxy.PluginEnvironment().ToDictionary(pair => pair.Name, pair => pair.Value);
            Assert.AreEqual(proxy.Endpoint.ToString().TrimEnd('/'), environment["AWS_ENDPOINT_URL"]);
            Assert.AreEqual("true", environment["AWS_EC2_METADATA_DISABLED"]);
            Assert.IsFalse(File.Exists(environment["AWS_CONFIG_FILE"]));
        }

        Assert.IsFalse(File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal), $"moto_server pid {pid} still running after dispose");
    }
}
