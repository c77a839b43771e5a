using System.Text.Json;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;
using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.Protocol.TokenStore;
using ConfigManager.TestSupport;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>plugins/AzTableStore against a real Azurite table service, seeded through Azure.Data.Tables.</summary>
[TestClass]
public sealed class AzTableStorePluginTests
{
    internal const string Table = "cmconfig";

    private static Azurite? s_azurite;
    private static LaunchedPlugin? s_plugin;

    private static TokenStore.TokenStoreClient Client => new(s_plugin!.Channel);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var publish = CSharpPlugins.AzTableStorePluginAsync();
        s_azurite = await Azurite.StartAsync();
        await SeedAsync(s_azurite);
        s_plugin = await LaunchedPlugin.StartAsync(
            await publish,
            autoMtls: true,
            environment: new Dictionary<string, string?> { ["CONFIGMANAGER_AZTABLESTORE_CONNECTION_STRING"] = s_azurite.ConnectionString });
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (s_plugin is not null)
        {
            await s_plugin.DisposeAsync();
        }

        if (s_azurite is not null)
        {
            await s_azurite.DisposeAsync();
        }
    }

    /// <summary>The rows the AZTABLESTORE tests (here and end to end) read.</summary>
    internal static async Task SeedAsync(Azurite azurite)
    {
        var table = new TableClient(azurite.ConnectionString, Table);
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("orders", "db") { ["value"] = """{"host":"db.internal","port":5432,"password":"t4ble-s3cret"}""" });
        await table.UpsertEntityAsync(new TableEntity("orders", "retries") { ["value"] = 42 });
        await table.UpsertEntityAsync(new TableEntity("orders", "flat") { ["host"] = "cache.internal", ["port"] = 6379, ["tls"] = true, ["ratio"] = 0.25, ["big"] = 1L << 40 });
    }

    [TestMethod]
    public async Task Entity_with_a_value_property_returns_that_value()
    {
        var reply = await Client.ValueAsync(new TokenValueRequest { Token = $"{Azurite.AccountName}/{Table}/orders/db" });

        Assert.AreEqual("""{"host":"db.internal","port":5432,"password":"t4ble-s3cret"}""", reply.Value);
    }

    [TestMethod]
    public async Task Non_string_value_property_comes_back_as_text()
    {
        var reply = await Client.ValueAsync(new TokenValueRequest { Token = $"/{Azurite.AccountName}/{Table}/orders/retries" });

        Assert.AreEqual("42", reply.Value);
    }

    [TestMethod]
    public async Task Entity_without_a_value_property_returns_the_whole_entity_as_JSON_without_odata_annotations()
    {
        var reply = await Client.ValueAsync(new TokenValueRequest { Token = $"{Azurite.AccountName}/{Table}/orders/flat" });

        using var json = JsonDocument.Parse(reply.Value);
        var root = json.RootElement;
        Assert.AreEqual("cache.internal", root.GetProperty("host").GetString());
        Assert.AreEqual(6379, root.GetProperty("port").GetInt32());
        Assert.IsTrue(root.GetProperty("tls").GetBoolean());
        Assert.AreEqual(0.25, root.GetProperty("ratio").GetDouble());
        Assert.AreEqual(1L << 40, root.GetProperty("big").GetInt64());
        Assert.AreEqual("orders", root.GetProperty("PartitionKey").GetString());
        Assert.AreEqual("flat", root.GetProperty("RowKey").GetString());
        Assert.IsTrue(root.TryGetProperty("Timestamp", out _));
        Assert.IsFalse(root.EnumerateObject().Any(p => p.Name.Contains("odata", StringComparison.Ordinal)), reply.Value);
    }

    [TestMethod]
    public async Task Sas_connection_string_reads_the_entity_and_errors_never_show_the_signature()
    {
        // A read-only table SAS instead of the account key: the other credential a CI secret holds.
        var sas = new TableClient(s_azurite!.ConnectionString, Table).GenerateSasUri(TableSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)).Query.TrimStart('?');
        await using var plugin = await LaunchedPlugin.StartAsync(
            await CSharpPlugins.AzTableStorePluginAsync(),
            autoMtls: true,
            environment: new Dictionary<string, string?> { ["CONFIGMANAGER_AZTABLESTORE_CONNECTION_STRING"] = $"TableEndpoint={s_azurite.TableEndpoint};SharedAccessSignature={sas}" });
        var client = new TokenStore.TokenStoreClient(plugin.Channel);

        var reply = await client.ValueAsync(new TokenValueRequest { Token = $"{Azurite.AccountName}/{Table}/orders/db" });
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ValueAsync(new TokenValueRequest { Token = $"{Azurite.AccountName}/{Table}/orders/missing" }));

        Assert.AreEqual("""{"host":"db.internal","port":5432,"password":"t4ble-s3cret"}""", reply.Value);
        StringAssert.StartsWith(error.Status.Detail, "no entity devstoreaccount1/cmconfig/orders/missing");
        Assert.DoesNotContain("sig=", error.Status.Detail);
    }

    [TestMethod]
    [DataRow("orders/missing", "no entity devstoreaccount1/cmconfig/orders/missing")]
    [DataRow("nobody/db", "no entity devstoreaccount1/cmconfig/nobody/db")]
    public async Task Missing_entity_is_an_error_naming_it_without_the_connection_string(string keys, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.ValueAsync(new TokenValueRequest { Token = $"{Azurite.AccountName}/{Table}/{keys}" }));

        Assert.AreEqual(StatusCode.Unknown, error.StatusCode);
        StringAssert.StartsWith(error.Status.Detail, message);
        Assert.DoesNotContain(Azurite.AccountKey, error.Status.Detail);
    }

    [TestMethod]
    public async Task Missing_table_is_an_error()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.ValueAsync(new TokenValueRequest { Token = $"{Azurite.AccountName}/nosuchtable/orders/db" }));

        StringAssert.Contains(error.Status.Detail, "nosuchtable");
    }

    [TestMethod]
    [DataRow("devstoreaccount1/cmconfig/orders")]
    [DataRow("devstoreaccount1/cmconfig/orders/db/extra")]
    [DataRow("devstoreaccount1//orders/db")]
    public async Task Token_that_is_not_account_table_partition_row_is_an_error(string token)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.ValueAsync(new TokenValueRequest { Token = token }));

        StringAssert.Contains(error.Status.Detail, "must be account/table/partitionKey/rowKey");
    }
}
