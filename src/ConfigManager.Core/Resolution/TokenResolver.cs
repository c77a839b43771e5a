using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Resolution;

/// <summary>
/// Resolution's one entry: plans the tokens, fetches each request once, masks every value (and each string of a
/// JSON value) before anything is logged, applies key paths, and decides strict or lax per token.
/// </summary>
internal static class TokenResolver
{
    /// <summary>Checks the options resolution depends on (CM3xxx) before anything is requested.</summary>
    public static bool CheckOptions(EngineOptions options, List<Diagnostic> diagnostics)
    {
        if (options.MaxConcurrencyPerPrefix >= 1)
        {
            return true;
        }

        diagnostics.Add(new Diagnostic(ResolutionErrorCodes.InvalidConcurrency, DiagnosticSeverity.Error,
            $"MaxConcurrencyPerPrefix must be at least 1 (got {options.MaxConcurrencyPerPrefix})."));
        return false;
    }

    /// <summary>One outcome per token (by reference); every value reaches <paramref name="mask"/> before <paramref name="log"/> sees anything.</summary>
    public static async Task<IReadOnlyDictionary<ConfigToken, TokenOutcome>> ResolveAsync(
        IEnumerable<ConfigToken> tokens, EngineOptions options, IValueSource source, ILogSink log, SecretMask mask, CancellationToken cancellationToken)
    {
        var plan = ResolutionPlan.From(tokens);
        var outcomes = await ValueFetcher.FetchAsync(plan, source, options.MaxConcurrencyPerPrefix, cancellationToken).ConfigureAwait(false);
        foreach (var outcome in outcomes)
        {
            if (outcome.Value is { } value)
            {
                mask.Add(value);
                JsonSecretStrings.AddTo(mask, value);
            }
        }

        var byToken = new Dictionary<ConfigToken, TokenOutcome>(ReferenceEqualityComparer.Instance);
        var lookups = new Dictionary<string, TokenOutcome>(StringComparer.Ordinal);
        for (var r = 0; r < plan.Requests.Count; r++)
        {
            lookups.Clear();
            foreach (var token in plan.Requests[r].Tokens)
            {
                byToken[token] = LookUp(token, outcomes[r], lookups, mask);
            }
        }

        var failed = outcomes.Count(o => !o.Succeeded);
        log.Log(LogLevel.Debug, $"{byToken.Count} tokens resolved through {plan.Requests.Count} requests ({failed} failed)");
        return byToken;
    }

    /// <summary>The diagnostic for a token without a value: an error when strict, a warning (token left as written) when lax.</summary>
    public static Diagnostic Unresolved(ConfigToken token, TokenOutcome outcome, bool lax)
        => new(
            outcome.Code,
            lax ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
            $"Token \"{token.Text}\" was not resolved: {outcome.Problem}{(lax ? " It was left as written (lax mode)." : "")}",
            token.File,
            token.Line,
            token.Column,
            token.Text,
            outcome.PluginPath);

    // Tokens of one request with the same key path share one lookup (one JSON parse).
    private static TokenOutcome LookUp(ConfigToken token, FetchOutcome outcome, Dictionary<string, TokenOutcome> lookups, SecretMask mask)
    {
        if (outcome.Error is { } error)
        {
            return new TokenOutcome(null, error.Code, error.Message, error.PluginPath);
        }

        if (token.KeyPath.Length == 0)
        {
            return new TokenOutcome(outcome.Value, "", "", null);
        }

        if (lookups.TryGetValue(token.KeyPath, out var known))
        {
            return known;
        }

        if (KeyLookup.TryFind(outcome.Value!, token.KeyPath, out var found, out var code, out var problem))
        {
            mask.Add(found);
            return lookups[token.KeyPath] = new TokenOutcome(found, "", "", null);
        }

        return lookups[token.KeyPath] = new TokenOutcome(null, code, problem, null);
    }
}
