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
        => throw new NotImplementedException();

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
}

/// <summary>Tokens found per document, plus grammar diagnostics.</summary>
public sealed record ScanResult(IReadOnlyList<ConfigToken> Tokens, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>Values for standalone tokens, in input order. Values are secrets: never log them.</summary>
public sealed record TokenValuesResult(IReadOnlyList<(ConfigToken Token, string Value)> Values, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
