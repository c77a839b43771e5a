using System.Text.Json;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Resolution;
using ConfigManager.Core.Substitution;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Core;

/// <summary>The one engine: scan, plan, fetch, look up keys, substitute. Front ends call only this.</summary>
public static class TokenEngine
{
    /// <summary>Finds every token in each document without resolving anything (CM1xxx errors for malformed ones).</summary>
    public static ScanResult Scan(IReadOnlyList<SourceDocument> documents, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var diagnostics = new List<Diagnostic>();
        var tokens = new List<ConfigToken>();
        if (!TryCreateGrammar(options, diagnostics, out var grammar))
        {
            return new ScanResult(tokens, diagnostics);
        }

        foreach (var document in documents)
        {
            var text = options.EnvSubst ? EnvironmentSubstitution.Apply(document.Text, document.Path, diagnostics) : document.Text;
            TokenScanner.Scan(text, document.Path, grammar, tokens, diagnostics, document.Format);
            UnknownPrefixScanner.Scan(text, document.Path, grammar, options.StrictPrefixes, diagnostics);
        }

        return new ScanResult(tokens, diagnostics);
    }

    /// <summary>Resolves all documents in one plan: requests that share prefix + store path are made once.</summary>
    /// <param name="documents">The sources, scanned and resolved together.</param>
    /// <param name="options">Grammar, strictness and output settings of the run.</param>
    /// <param name="source">Where values come from (the plugins, in a real run).</param>
    /// <param name="log">Receives masked log lines.</param>
    /// <param name="mask">Every value fetched is added to it before any log line is written.</param>
    /// <remarks>Grammar (CM1xxx) or envsubst errors stop the run before any value is requested. Unresolved
    /// tokens are errors (strict) or warnings that leave the token as written (lax). Diagnostics never hold values.</remarks>
    /// <param name="cancellationToken">Stops every pending request.</param>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public static async Task<EngineResult> ResolveAsync(
        IReadOnlyList<SourceDocument> documents,
        EngineOptions options,
        IValueSource source,
        ILogSink log,
        SecretMask mask,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mask);
        var diagnostics = new List<Diagnostic>();
        var safeLog = new RedactingLogSink(log ?? NullLogSink.Instance, mask);
        if (!TryCreateGrammar(options, diagnostics, out var grammar) || !CheckConcurrency(options, diagnostics))
        {
            return new EngineResult([], diagnostics);
        }

        var texts = new string[documents.Count];
        var tokensByDocument = new List<ConfigToken>[documents.Count];
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            texts[i] = options.EnvSubst ? EnvironmentSubstitution.Apply(document.Text, document.Path, diagnostics, mask.Add) : document.Text;
            tokensByDocument[i] = [];
            TokenScanner.Scan(texts[i], document.Path, grammar, tokensByDocument[i], diagnostics, document.Format);
            UnknownPrefixScanner.Scan(texts[i], document.Path, grammar, options.StrictPrefixes, diagnostics);
        }

        if (HasErrors(diagnostics))
        {
            return new EngineResult([], Redacted(diagnostics, mask));
        }

        var plan = ResolutionPlan.From(tokensByDocument.SelectMany(t => t));
        var values = await FetchAndLookUpAsync(plan, options, source, safeLog, mask, cancellationToken).ConfigureAwait(false);
        var resolved = new List<ResolvedDocument>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var replacements = new List<Replacement>();
            foreach (var token in tokensByDocument[i])
            {
                var outcome = values[token];
                if (outcome.Value is { } value)
                {
                    replacements.Add(new Replacement(token, value));
                }
                else
                {
                    diagnostics.Add(Unresolved(token, outcome, options.Lax));
                }
            }

            // A strict run with unresolved tokens writes nothing, so its output is not worth building or checking.
            var output = replacements.Count < tokensByDocument[i].Count && !options.Lax
                ? texts[i]
                : DocumentSubstitution.Apply(texts[i], documents[i].Path, documents[i].Format, replacements, options.InjectStructuredValues, diagnostics);
            resolved.Add(new ResolvedDocument(documents[i], output, tokensByDocument[i]));
            safeLog.Log(LogLevel.Debug, $"{documents[i].Path}: {replacements.Count} of {tokensByDocument[i].Count} tokens replaced");
        }

        return new EngineResult(resolved, Redacted(diagnostics, mask));
    }

    /// <summary>Resolves standalone token strings (the CLI's <c>retrieve -t</c>): one value per token, keys looked up.</summary>
    /// <remarks>Each input may hold one or more tokens; an input with none is CM1005. In lax mode a token that
    /// cannot be resolved is left out of <see cref="TokenValuesResult.Values"/> with a warning (configmanager does the same).</remarks>
    public static async Task<TokenValuesResult> ResolveTokensAsync(
        IReadOnlyList<string> tokens,
        EngineOptions options,
        IValueSource source,
        ILogSink log,
        SecretMask mask,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mask);
        var diagnostics = new List<Diagnostic>();
        var safeLog = new RedactingLogSink(log ?? NullLogSink.Instance, mask);
        if (!TryCreateGrammar(options, diagnostics, out var grammar) || !CheckConcurrency(options, diagnostics))
        {
            return new TokenValuesResult([], diagnostics);
        }

        var found = new List<ConfigToken>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var input = tokens[i] ?? "";
            var label = $"<token {i + 1}>";
            var before = found.Count;
            var errorsBefore = diagnostics.Count;
            var text = options.EnvSubst ? EnvironmentSubstitution.Apply(input, label, diagnostics, mask.Add) : input;
            TokenScanner.Scan(text, label, grammar, found, diagnostics, DocumentFormat.Text);
            if (found.Count == before && diagnostics.Count == errorsBefore)
            {
                diagnostics.Add(new Diagnostic(GrammarErrorCodes.NotAToken, DiagnosticSeverity.Error,
                    $"\"{input}\" is not a token: expected PREFIX{grammar.TokenSeparator}path[|key][[metadata]] with a known prefix ({string.Join(", ", grammar.Prefixes)}).",
                    label, 1, 1, input));
            }
        }

        if (HasErrors(diagnostics))
        {
            return new TokenValuesResult([], Redacted(diagnostics, mask));
        }

        var plan = ResolutionPlan.From(found);
        var values = await FetchAndLookUpAsync(plan, options, source, safeLog, mask, cancellationToken).ConfigureAwait(false);
        var results = new List<(ConfigToken Token, string Value)>(found.Count);
        foreach (var token in found)
        {
            var outcome = values[token];
            if (outcome.Value is { } value)
            {
                results.Add((token, value));
            }
            else
            {
                diagnostics.Add(Unresolved(token, outcome, options.Lax));
            }
        }

        return new TokenValuesResult(results, Redacted(diagnostics, mask));
    }

    // Fetches the plan and applies each token's key path; every value reaches the mask before anything is logged.
    private static async Task<Dictionary<ConfigToken, TokenOutcome>> FetchAndLookUpAsync(
        ResolutionPlan plan, EngineOptions options, IValueSource source, ILogSink log, SecretMask mask, CancellationToken cancellationToken)
    {
        var outcomes = await ValueFetcher.FetchAsync(plan, source, options.MaxConcurrencyPerPrefix, cancellationToken).ConfigureAwait(false);
        foreach (var outcome in outcomes)
        {
            if (outcome.Value is { } value)
            {
                mask.Add(value);
                AddJsonStrings(value, mask);
            }
        }

        var byToken = new Dictionary<ConfigToken, TokenOutcome>(ReferenceEqualityComparer.Instance);
        var lookups = new Dictionary<string, TokenOutcome>(StringComparer.Ordinal);
        for (var r = 0; r < plan.Requests.Count; r++)
        {
            var outcome = outcomes[r];
            lookups.Clear();
            foreach (var token in plan.Requests[r].Tokens)
            {
                // Tokens of one request with the same key path share one lookup (one JSON parse).
                if (outcome.Error is null && token.KeyPath.Length > 0 && lookups.TryGetValue(token.KeyPath, out var known))
                {
                    byToken[token] = known;
                    continue;
                }

                if (outcome.Error is { } error)
                {
                    byToken[token] = new TokenOutcome(null, error.Code, error.Message, error.PluginPath);
                }
                else if (token.KeyPath.Length == 0)
                {
                    byToken[token] = new TokenOutcome(outcome.Value, "", "", null);
                }
                else if (KeyLookup.TryFind(outcome.Value!, token.KeyPath, out var found, out var code, out var problem))
                {
                    mask.Add(found);
                    byToken[token] = lookups[token.KeyPath] = new TokenOutcome(found, "", "", null);
                }
                else
                {
                    byToken[token] = lookups[token.KeyPath] = new TokenOutcome(null, code, problem, null);
                }
            }
        }

        var failed = plan.Requests.Select((r, i) => (r, outcomes[i])).Count(p => !p.Item2.Succeeded);
        log.Log(LogLevel.Debug, $"{byToken.Count} tokens resolved through {plan.Requests.Count} requests ({failed} failed)");
        return byToken;
    }

    // A JSON secret document is secret as a whole: each string in it is masked, looked up or not.
    private static void AddJsonStrings(string value, SecretMask mask)
    {
        var start = value.AsSpan().TrimStart();
        if (start.IsEmpty || start[0] is not ('{' or '['))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            AddStrings(document.RootElement);
        }
        catch (JsonException)
        {
            // Not JSON after all: the whole value is already masked.
        }

        void AddStrings(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    mask.Add(element.GetString()!);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        AddStrings(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        AddStrings(item);
                    }

                    break;
            }
        }
    }

    private static Diagnostic Unresolved(ConfigToken token, TokenOutcome outcome, bool lax)
        => new(
            outcome.Code,
            lax ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
            $"Token \"{token.Text}\" was not resolved: {outcome.Problem}{(lax ? " It was left as written (lax mode)." : "")}",
            token.File,
            token.Line,
            token.Column,
            token.Text,
            outcome.PluginPath);

    private static bool CheckConcurrency(EngineOptions options, List<Diagnostic> diagnostics)
    {
        if (options.MaxConcurrencyPerPrefix >= 1)
        {
            return true;
        }

        diagnostics.Add(new Diagnostic(ResolutionErrorCodes.InvalidConcurrency, DiagnosticSeverity.Error,
            $"MaxConcurrencyPerPrefix must be at least 1 (got {options.MaxConcurrencyPerPrefix})."));
        return false;
    }

    private static bool HasErrors(List<Diagnostic> diagnostics) => diagnostics.Exists(d => d.Severity == DiagnosticSeverity.Error);

    // Last line of defence: no message leaves the engine holding a value the mask knows.
    private static List<Diagnostic> Redacted(List<Diagnostic> diagnostics, SecretMask mask)
        => diagnostics.ConvertAll(d => d with { Message = mask.Redact(d.Message) });

    private sealed record TokenOutcome(string? Value, string Code, string Problem, string? PluginPath);

    private sealed class NullLogSink : ILogSink
    {
        public static readonly NullLogSink Instance = new();

        public void Log(LogLevel level, string message)
        {
        }
    }

    private static bool TryCreateGrammar(EngineOptions options, List<Diagnostic> diagnostics, out TokenGrammar grammar)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            grammar = TokenGrammar.Create(options);
            return true;
        }
        catch (ConfigManagerException e)
        {
            diagnostics.Add(new Diagnostic(e.Code, DiagnosticSeverity.Error, e.Message));
            grammar = null!;
            return false;
        }
    }
}
