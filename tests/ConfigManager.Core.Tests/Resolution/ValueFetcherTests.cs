using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Resolution;
using ConfigManager.Core.Tests.Support;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Tests.Resolution;

[TestClass]
public sealed class ValueFetcherTests
{
    private static ResolutionPlan Plan(string text, params string[] extraPrefixes)
        => ResolutionPlan.From(TokenScanner.Scan(text, "f.txt", TokenGrammar.Create(new EngineOptions { ExtraPrefixes = extraPrefixes })).Tokens);

    [TestMethod]
    public async Task Concurrency_is_bounded_per_prefix_not_overall()
    {
        var source = new InMemoryValueSource { Delay = TimeSpan.FromMilliseconds(40) };
        var words = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            source.With("VAULT", $"a{i}", "x").With("GOTEST", $"b{i}", "y");
            words.Add($"VAULT://a{i}");
            words.Add($"GOTEST://b{i}");
        }

        var outcomes = await ValueFetcher.FetchAsync(Plan(string.Join(" ", words), "GOTEST"), source, 2, CancellationToken.None);
        Assert.IsTrue(outcomes.All(o => o.Succeeded));
        Assert.AreEqual(4, source.PeakConcurrency, "two per prefix, two prefixes");
    }

    [TestMethod]
    public async Task Outcomes_follow_plan_order_and_keep_failures()
    {
        var source = new InMemoryValueSource().With("VAULT", "ok", "fine").Failing("VAULT", "bad", new ConfigManagerException("CM2042", "nope", "/p"));
        var outcomes = await ValueFetcher.FetchAsync(Plan("VAULT://bad VAULT://ok"), source, 8, CancellationToken.None);
        Assert.AreEqual("CM2042", outcomes[0].Error!.Code);
        Assert.AreEqual("fine", outcomes[1].Value);
    }

    [TestMethod]
    public async Task Cancellation_while_waiting_for_a_slot_is_thrown()
    {
        var source = new InMemoryValueSource { Delay = TimeSpan.FromSeconds(30) }.With("VAULT", "a", "x").With("VAULT", "b", "y");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAsync<OperationCanceledException>(() => ValueFetcher.FetchAsync(Plan("VAULT://a VAULT://b"), source, 1, cancellation.Token));
        Assert.AreEqual(1, source.Requests.Count, "the second request never started");
    }
}
