namespace ConfigManager.TestSupport.LocalServers;

/// <summary>One request a <see cref="LocalHttpServer"/> received, as it arrived (before any fault or handler ran).</summary>
/// <param name="Method">GET, POST, ...</param>
/// <param name="PathAndQuery">The path and query string as sent.</param>
/// <param name="Headers">Every header, names lower-cased, values joined with ", ".</param>
/// <param name="Body">The request body bytes.</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
