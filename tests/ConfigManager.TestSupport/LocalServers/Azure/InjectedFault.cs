using System.Net;

namespace ConfigManager.TestSupport.LocalServers.Azure;

/// <summary>A reply a local Azure server gives instead of the real one: a status, headers, and/or a delay first.</summary>
public sealed record InjectedFault(HttpStatusCode? Status, TimeSpan Delay = default, IReadOnlyDictionary<string, string>? Headers = null, string? ErrorCode = null);
