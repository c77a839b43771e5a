using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Resolution;

/// <summary>
/// configmanager's fan-in: tokens without metadata that share prefix + store path are fetched once (their
/// key paths are looked up in that one value); a token with metadata is fetched on its own, and identical
/// full tokens with metadata share that request. Build one plan across every document of a run.
/// </summary>
public sealed class ResolutionPlan
{
    private readonly Dictionary<ConfigToken, int> _requestIndexByToken;

    private ResolutionPlan(IReadOnlyList<PlannedRequest> requests, Dictionary<ConfigToken, int> requestIndexByToken)
    {
        Requests = requests;
        _requestIndexByToken = requestIndexByToken;
    }

    /// <summary>Requests in the order their first token appears.</summary>
    public IReadOnlyList<PlannedRequest> Requests { get; }

    public static ResolutionPlan From(IEnumerable<ConfigToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var indexByKey = new Dictionary<(string Prefix, string StorePath, string FullToken), int>();
        var tokenLists = new List<List<ConfigToken>>();
        var requests = new List<ValueRequest>();
        var indexByToken = new Dictionary<ConfigToken, int>(ReferenceEqualityComparer.Instance);
        foreach (var token in tokens)
        {
            // Metadata may select a different version of the value, so it is never merged with other tokens.
            var key = token.Metadata.Length == 0 ? (token.Prefix, token.StorePath, "") : (token.Prefix, token.StorePath, token.Text);
            if (!indexByKey.TryGetValue(key, out var index))
            {
                index = requests.Count;
                indexByKey.Add(key, index);
                requests.Add(new ValueRequest(token.Prefix, token.StorePath, token.Metadata));
                tokenLists.Add([]);
            }

            tokenLists[index].Add(token);
            indexByToken[token] = index;
        }

        var planned = requests.Select((request, i) => new PlannedRequest(request, tokenLists[i])).ToList();
        return new ResolutionPlan(planned, indexByToken);
    }

    /// <summary>The index in <see cref="Requests"/> of the request that supplies <paramref name="token"/>.</summary>
    public int RequestIndexOf(ConfigToken token) => _requestIndexByToken[token];
}
