using System.Text.Json;
using ConfigManager.Core;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Resolution;
using ConfigManager.TestSupport;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>
/// ENV and AZTABLESTORE end to end: a JSON document resolved by the engine through our PluginHost, which
/// launches the published C# plugins from the artifacts layout (real processes, real gRPC, AutoMTLS on and off).
/// </summary>
[TestClass]
public sealed class PluginHostEndToEndTests
{
    private const string EnvSecret = "env-s3cret-value";

    [TestMethod]
    [DataRow(true, DisplayName = "AutoMTLS")]
    [DataRow(false, DisplayName = "plain")]
    public async Task Env_tokens_resolve_through_the_host_including_key_lookup(bool autoMtls)
    {
        var envPlugin = await CSharpPlugins.EnvPluginAsync();
        Environment.SetEnvironmentVariable("CM_E2E_PASSWORD", EnvSecret);
        Environment.SetEnvironmentVariable("CM_E2E_JSON", """{"db":{"host":"h.example","port":5432}}""");
        try
        {
            var log = new RecordingLogSink();
            var mask = new SecretMask();
            await using (var host = PublishedPluginHost.Create(log, mask, autoMtls))
            {
                var document = new SourceDocument("appsettings.json", """{"Password":"ENV://CM_E2E_PASSWORD","Host":"ENV://CM_E2E_JSON|db.host"}""", DocumentFormat.Json);
                // ENV is not among the engine's built-in prefixes (yet); installed plugins are passed like this.
                var options = new EngineOptions { ExtraPrefixes = ["ENV"] };
                var result = await TokenEngine.ResolveAsync([document], options, host, log, mask, CancellationToken.None);

                Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
                using var json = JsonDocument.Parse(result.Documents[0].Text);
                Assert.AreEqual(EnvSecret, json.RootElement.GetProperty("Password").GetString());
                Assert.AreEqual("h.example", json.RootElement.GetProperty("Host").GetString());
                Assert.AreEqual(1, host.LaunchCount, "one ENV process for both tokens");
            }

            ProcessTable.AssertNoneRunning(envPlugin);
            Assert.IsFalse(log.Lines.Any(line => line.Contains(EnvSecret, StringComparison.Ordinal)), "the secret reached a log line");
        }
        finally
        {
            Environment.SetEnvironmentVariable("CM_E2E_PASSWORD", null);
            Environment.SetEnvironmentVariable("CM_E2E_JSON", null);
        }
    }

    [TestMethod]
    public async Task Missing_env_variable_is_a_plugin_error_naming_it()
    {
        var envPlugin = await CSharpPlugins.EnvPluginAsync();
        await using (var host = PublishedPluginHost.Create(new RecordingLogSink(), new SecretMask()))
        {
            var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() =>
                host.GetValueAsync(new ValueRequest("ENV", "CM_E2E_NOT_SET_ANYWHERE", string.Empty), CancellationToken.None));

            Assert.AreEqual("CM2030", error.Code, error.Message);
            StringAssert.Contains(error.Message, "environment variable CM_E2E_NOT_SET_ANYWHERE is not set");
            StringAssert.Contains(error.Message, envPlugin);
        }

        ProcessTable.AssertNoneRunning(envPlugin);
    }

    [TestMethod]
    public async Task AzTableStore_tokens_resolve_against_Azurite_through_the_host()
    {
        var azPlugin = CSharpPlugins.AzTableStorePluginAsync();
        await using var azurite = await Azurite.StartAsync();
        await AzTableStorePluginTests.SeedAsync(azurite);
        Environment.SetEnvironmentVariable("CONFIGMANAGER_AZTABLESTORE_CONNECTION_STRING", azurite.ConnectionString);
        try
        {
            var log = new RecordingLogSink();
            var mask = new SecretMask();
            await using (var host = PublishedPluginHost.Create(log, mask))
            {
                await azPlugin;
                var table = $"{Azurite.AccountName}/{AzTableStorePluginTests.Table}";
                var document = new SourceDocument(
                    "appsettings.json",
                    $$"""{"Db":{"Password":"AZTABLESTORE://{{table}}/orders/db|password","Port":"AZTABLESTORE://{{table}}/orders/db|port"},"Cache":"AZTABLESTORE://{{table}}/orders/flat|host"}""",
                    DocumentFormat.Json);
                var result = await TokenEngine.ResolveAsync([document], new EngineOptions(), host, log, mask, CancellationToken.None);

                Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
                using var json = JsonDocument.Parse(result.Documents[0].Text);
                Assert.AreEqual("t4ble-s3cret", json.RootElement.GetProperty("Db").GetProperty("Password").GetString());
                Assert.AreEqual("5432", json.RootElement.GetProperty("Db").GetProperty("Port").ToString());
                Assert.AreEqual("cache.internal", json.RootElement.GetProperty("Cache").GetString());
            }

            ProcessTable.AssertNoneRunning(await azPlugin);
            Assert.IsFalse(log.Lines.Any(line => line.Contains("t4ble-s3cret", StringComparison.Ordinal)), "the secret reached a log line");
        }
        finally
        {
            Environment.SetEnvironmentVariable("CONFIGMANAGER_AZTABLESTORE_CONNECTION_STRING", null);
        }
    }
}
