using ConfigManager.TestSupport;
using ConfigManager.TestSupport.LocalServers;
using ConfigManager.TestSupport.LocalServers.Aws;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>The seeded parameters the AWSPARAMSTR tests read, on one moto per test class, behind a counting proxy and a proxy trap.</summary>
internal sealed class ParamStoreFixture : IAsyncDisposable
{
    public const string Plain = "plain-value-7Qx2";
    public const string ListValue = "alpha,beta,gamma-9Lw4";
    public const string SecureV1 = "secure-v1-3Hd8";
    public const string SecureV2 = "secure-v2-6Ke1";
    public const string JsonPassword = "json-pw-2Ym5";
    public const int Bulk = 100;
    public const int Many = 500;

    private ParamStoreFixture(MotoServer moto, AwsCountingProxy proxy, ProxyTrap trap)
    {
        Moto = moto;
        Proxy = proxy;
        Trap = trap;
    }

    public MotoServer Moto { get; }

    public AwsCountingProxy Proxy { get; }

    public ProxyTrap Trap { get; }

    /// <summary>Every value and credential the tests use: none may appear in any output.</summary>
    public static IReadOnlyList<string> Secrets { get; } =
        [Plain, ListValue, SecureV1, SecureV2, JsonPassword, "bulk-value-", "many-value-", MotoServer.SecretAccessKey];

    public static string BulkValue(int i) => $"bulk-value-{i:D3}";

    public static string ManyValue(int i) => $"many-value-{i:D3}";

    public static async Task<ParamStoreFixture> StartAsync(bool bulk = true)
    {
        var publish = CSharpPlugins.PublishAsync(CSharpPlugin.AwsParamStore);
        var moto = await MotoServer.StartAsync();
        using (var client = moto.Client())
        {
            await client.PutParameterAsync("/app/plain", Plain);
            await client.PutParameterAsync("/app/list", ListValue, "StringList");
            await client.PutParameterAsync("/app/secure", SecureV1, "SecureString");
            await client.PutParameterAsync("/app/secure", SecureV2, "SecureString", overwrite: true);
            await client.LabelParameterVersionAsync("/app/secure", 1, "previous");
            await client.LabelParameterVersionAsync("/app/secure", 2, "current");
            await client.PutParameterAsync("/app/json", $$"""{"user":"app","password":"{{JsonPassword}}"}""", "SecureString");
            using var parallel = new SemaphoreSlim(8);
            await Task.WhenAll(!bulk ? [] :
                Enumerable.Range(0, Bulk).Select(i => Seed(parallel, client, $"/bulk/p{i:D3}", BulkValue(i)))
                    .Concat(Enumerable.Range(0, Many).Select(i => Seed(parallel, client, $"/many/p{i:D3}", ManyValue(i)))));
        }

        var proxy = await AwsCountingProxy.StartAsync(moto);
        await publish;
        return new ParamStoreFixture(moto, proxy, ProxyTrap.Start());
    }

    /// <summary>The plugin pointed at the proxy, off-machine traffic at the trap, plus <paramref name="extra"/> (null removes).</summary>
    public IEnumerable<(string Name, string? Value)> Environment(params (string Name, string? Value)[] extra) =>
        Proxy.PluginEnvironment().Concat(Trap.Environment).Concat(extra);

    public async ValueTask DisposeAsync()
    {
        await Trap.DisposeAsync();
        await Proxy.DisposeAsync();
        await Moto.DisposeAsync();
    }

    private static async Task Seed(SemaphoreSlim parallel, AwsJsonClient client, string name, string value)
    {
        await parallel.WaitAsync();
        try
        {
            await client.PutParameterAsync(name, value);
        }
        finally
        {
            parallel.Release();
        }
    }
}
