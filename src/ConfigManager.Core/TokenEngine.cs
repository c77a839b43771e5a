using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Resolution;
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
            TokenScanner.Scan(text, document.Path, grammar, tokens, diagnostics);
        }

        return new ScanResult(tokens, diagnostics);
    }

    /// <summary>Resolves all documents in one plan: requests that share prefix + store path are made once.</summary>
    /// <param name="mask">Every value fetched is added to it before any log line is written.</param>
    public static Task<EngineResult> ResolveAsync(
        IReadOnlyList<SourceDocument> documents,
        EngineOptions options,
        IValueSource source,
        ILogSink log,
        SecretMask mask,
        CancellationToken cancellationToken)
        => throw new NotImplementedException();

    /// <summary>Resolves standalone token strings (the CLI's <c>retrieve -t</c>): one value per token, keys looked up.</summary>
    public static Task<TokenValuesResult> ResolveTokensAsync(
        IReadOnlyList<string> tokens,
        EngineOptions options,
        IValueSource source,
        ILogSink log,
        SecretMask mask,
        CancellationToken cancellationToken)
        => throw new NotImplementedException();

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
