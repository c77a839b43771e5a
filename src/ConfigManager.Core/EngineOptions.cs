namespace ConfigManager.Core;

/// <summary>How tokens are recognised and resolved. Defaults match configmanager.</summary>
public sealed record EngineOptions
{
    /// <summary>Between prefix and store path; any non-empty string (configmanager: <c>-s</c>).</summary>
    public string TokenSeparator { get; init; } = "://";

    /// <summary>Between store path and key path; exactly one character (configmanager: <c>-k</c>).</summary>
    public char KeySeparator { get; init; } = '|';

    /// <summary>Prefixes recognised besides the built-in ones (upper-case letters and digits).</summary>
    public IReadOnlyCollection<string> ExtraPrefixes { get; init; } = [];

    /// <summary>Lax: leave unresolved tokens as written and warn. Strict (default): fail.</summary>
    public bool Lax { get; init; }

    /// <summary>A token-shaped string whose prefix has no plugin and is not known (CM2050) fails the run instead of warning.</summary>
    public bool StrictPrefixes { get; init; }

    /// <summary>Replace <c>$VAR</c>/<c>${VAR}</c> first; an unset or empty variable is an error.</summary>
    public bool EnvSubst { get; init; }

    /// <summary>Opt-in: a token that is a whole JSON string/YAML scalar and resolves to a JSON object
    /// or array is injected as structure instead of as a string.</summary>
    public bool InjectStructuredValues { get; init; }

    /// <summary>The default <see cref="MaxConcurrencyPerPrefix"/>: enough calls in flight for a store plugin to fill its batch API,
    /// and a multiple of its size so the calls freed by one finished batch refill exactly one more (SSM GetParameters takes
    /// 10 names: 4 batches in flight; Secrets Manager BatchGetSecretValue 20 ids: 2).</summary>
    public const int DefaultMaxConcurrencyPerPrefix = 40;

    /// <summary>Upper bound on concurrent value requests per prefix (one plugin process serves a prefix).</summary>
    public int MaxConcurrencyPerPrefix { get; init; } = DefaultMaxConcurrencyPerPrefix;
}
