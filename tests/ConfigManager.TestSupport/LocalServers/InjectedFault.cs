namespace ConfigManager.TestSupport.LocalServers;

/// <summary>A reply a <see cref="LocalHttpServer"/> gives instead of its handler's, once, to the next request it matches.</summary>
/// <param name="Status">The status code to answer (0: no reply of its own, only <paramref name="Delay"/>, then the handler runs).</param>
/// <param name="Body">The body (JSON or text), or null.</param>
/// <param name="Headers">Headers to add (Retry-After, x-ms-retry-after-ms, ...), or null.</param>
/// <param name="Delay">How long to wait before answering (a slow server), or null.</param>
/// <param name="When">Which requests it applies to; null: the next one.</param>
public sealed record InjectedFault(
    int Status,
    string? Body = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    TimeSpan? Delay = null,
    Func<RecordedRequest, bool>? When = null);
