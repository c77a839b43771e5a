using ConfigManager.PluginSdk.Tests.Support;
using ConfigManager.Protocol.TokenStore;
using ConfigManager.TestSupport;
using Grpc.Core;

namespace ConfigManager.PluginSdk.Tests;

/// <summary>plugins/Env over raw gRPC: ENV://NAME is the variable's value; a missing one is an error naming it.</summary>
[TestClass]
public sealed class EnvPluginTests
{
    [TestMethod]
    public async Task Env_plugin_returns_the_variable_and_names_a_missing_one()
    {
        await using var plugin = await LaunchedPlugin.StartAsync(
            await CSharpPlugins.EnvPluginAsync(),
            autoMtls: true,
            environment: new Dictionary<string, string?> { ["CM_ENV_TEST_JSON"] = """{"db":{"host":"h1"}}""", ["CM_ENV_EMPTY"] = string.Empty });
        var client = new TokenStore.TokenStoreClient(plugin.Channel);

        Assert.AreEqual("""{"db":{"host":"h1"}}""", (await client.ValueAsync(new TokenValueRequest { Token = "CM_ENV_TEST_JSON" })).Value);
        Assert.AreEqual("""{"db":{"host":"h1"}}""", (await client.ValueAsync(new TokenValueRequest { Token = "/CM_ENV_TEST_JSON" })).Value, "ENV:///NAME is NAME");
        Assert.AreEqual(string.Empty, (await client.ValueAsync(new TokenValueRequest { Token = "CM_ENV_EMPTY" })).Value, "set but empty is a value");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.ValueAsync(new TokenValueRequest { Token = "CM_ENV_DEFINITELY_MISSING" }));
        Assert.AreEqual(StatusCode.Unknown, error.StatusCode);
        Assert.AreEqual("environment variable CM_ENV_DEFINITELY_MISSING is not set", error.Status.Detail);
    }
}
