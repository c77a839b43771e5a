using ConfigManager.Core.Resolution;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Tests.Resolution;

[TestClass]
public sealed class ResolutionPlanTests
{
    private static readonly TokenGrammar s_grammar = TokenGrammar.Create(new EngineOptions());

    private static IReadOnlyList<ConfigToken> Tokens(params string[] texts)
        => texts.SelectMany((t, i) => TokenScanner.Scan(t, $"doc{i}.json", s_grammar).Tokens).ToList();

    [TestMethod]
    public void Tokens_without_metadata_sharing_prefix_and_store_path_make_one_request()
    {
        var plan = ResolutionPlan.From(Tokens("AWSSECRETS:///app|user AWSSECRETS:///app|password AWSSECRETS:///app"));
        var request = plan.Requests.Single();
        Assert.AreEqual(new ValueRequest("AWSSECRETS", "/app", ""), request.Request);
        Assert.AreEqual(3, request.Tokens.Count);
    }

    [TestMethod]
    public void Plan_spans_all_documents()
    {
        var plan = ResolutionPlan.From(Tokens("AWSSECRETS:///app|user", "AWSSECRETS:///app|password", "VAULT://app"));
        Assert.AreEqual(2, plan.Requests.Count);
        CollectionAssert.AreEqual(new[] { "doc0.json", "doc1.json" }, plan.Requests[0].Tokens.Select(t => t.File).ToArray());
    }

    [TestMethod]
    public void Same_store_path_under_another_prefix_is_another_request()
        => Assert.AreEqual(2, ResolutionPlan.From(Tokens("AWSSECRETS:///app AWSPARAMSTR:///app")).Requests.Count);

    [TestMethod]
    public void Token_with_metadata_is_requested_on_its_own_and_carries_the_raw_metadata()
    {
        var plan = ResolutionPlan.From(Tokens("AWSSECRETS:///app|a AWSSECRETS:///app|b[version=2] AWSSECRETS:///app|c[version=2,x=y]"));
        Assert.AreEqual(3, plan.Requests.Count);
        Assert.AreEqual("version=2", plan.Requests[1].Request.Metadata);
        Assert.AreEqual("version=2,x=y", plan.Requests[2].Request.Metadata);
        Assert.AreEqual("/app", plan.Requests[2].Request.StorePath);
    }

    [TestMethod]
    public void Identical_full_tokens_with_metadata_share_one_request()
    {
        var tokens = Tokens("AWSSECRETS:///app|b[version=2]", "x AWSSECRETS:///app|b[version=2]");
        var plan = ResolutionPlan.From(tokens);
        Assert.AreEqual(1, plan.Requests.Count);
        Assert.AreEqual(0, plan.RequestIndexOf(tokens[1]));
    }

    [TestMethod]
    public void Requests_follow_first_appearance_order()
    {
        var plan = ResolutionPlan.From(Tokens("VAULT://b AWSSECRETS:///a VAULT://b|k"));
        CollectionAssert.AreEqual(new[] { "b", "/a" }, plan.Requests.Select(r => r.Request.StorePath).ToArray());
    }
}
