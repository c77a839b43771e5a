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
        var safeLog = RedactingLogSink.Over(log, mask);
        if (!TryCreateGrammar(options, diagnostics, out var grammar) || !TokenResolver.CheckOptions(options, diagnostics))
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

        var values = await TokenResolver.ResolveAsync(tokensByDocument.SelectMany(t => t), options, source, safeLog, mask, cancellationToken).ConfigureAwait(false);
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
                    diagnostics.Add(TokenResolver.Unresolved(token, outcome, options.Lax));
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
        var safeLog = RedactingLogSink.Over(log, mask);
        if (!TryCreateGrammar(options, diagnostics, out var grammar) || !TokenResolver.CheckOptions(options, diagnostics))
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

        var values = await TokenResolver.ResolveAsync(found, options, source, safeLog, mask, cancellationToken).ConfigureAwait(false);
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
                diagnostics.Add(TokenResolver.Unresolved(token, outcome, options.Lax));
            }
        }

        return new TokenValuesResult(results, Redacted(diagnostics, mask));
    }

    private static bool HasErrors(List<Diagnostic> diagnostics) => diagnostics.Exists(d => d.Severity == DiagnosticSeverity.Error);

    // Last line of defence: no message leaves the engine holding a value the mask knows.
    private static List<Diagnostic> Redacted(List<Diagnostic> diagnostics, SecretMask mask)
        => diagnostics.ConvertAll(d => d with { Message = mask.Redact(d.Message) });

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
