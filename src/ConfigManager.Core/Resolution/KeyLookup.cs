using System.Text.Json;

namespace ConfigManager.Core.Resolution;

/// <summary>
/// configmanager's key lookup: key path <c>a.b</c> is JSONPath <c>$..a.b</c> (an <c>a</c> at any depth, then its
/// child <c>b</c>; a digit segment also indexes an array). Exactly one match is required. A string match comes
/// back unquoted; numbers, booleans, null, objects and arrays as their JSON text.
/// </summary>
public static class KeyLookup
{
    /// <summary>Finds the key; on failure gives a CM3xxx code and a problem text that never quotes the value.</summary>
    public static bool TryFind(string value, string keyPath, out string result, out string errorCode, out string problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(keyPath);
        result = "";
        errorCode = "";
        problem = "";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException)
        {
            errorCode = ResolutionErrorCodes.ValueNotJson;
            problem = IsTooDeep(value)
                ? $"the value is JSON nested deeper than {MaxDepth} levels, which is too deep to look key path \"{keyPath}\" up in; store a flatter JSON object."
                : $"the value is not JSON, so key path \"{keyPath}\" cannot be looked up; remove the key path or store the value as a JSON object.";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                errorCode = ResolutionErrorCodes.ValueNotJson;
                problem = $"the value is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object or array, so key path \"{keyPath}\" cannot be looked up.";
                return false;
            }

            var segments = keyPath.Split('.');
            var matches = new List<JsonElement>();
            Descend(document.RootElement, segments, matches);
            if (matches.Count != 1)
            {
                errorCode = matches.Count == 0 ? ResolutionErrorCodes.KeyNotFound : ResolutionErrorCodes.KeyAmbiguous;
                problem = matches.Count == 0
                    ? $"key path \"{keyPath}\" matches nothing in the value (it searches like $..{keyPath}); check the key names."
                    : $"key path \"{keyPath}\" matches {matches.Count} places in the value (it searches like $..{keyPath}); use a longer path that matches one.";
                return false;
            }

            var match = matches[0];
            result = match.ValueKind == JsonValueKind.String ? match.GetString()! : match.GetRawText();
            return true;
        }
    }

    // $..first.rest: try every node reachable at any depth as the parent of the first segment.
    private static void Descend(JsonElement node, string[] segments, List<JsonElement> matches)
    {
        if (Child(node, segments[0]) is { } start && Follow(start, segments.AsSpan(1)) is { } found)
        {
            matches.Add(found);
        }

        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    Descend(property.Value, segments, matches);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in node.EnumerateArray())
                {
                    Descend(item, segments, matches);
                }

                break;
        }
    }

    private static JsonElement? Follow(JsonElement node, ReadOnlySpan<string> segments)
    {
        foreach (var segment in segments)
        {
            if (Child(node, segment) is not { } next)
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    private static JsonElement? Child(JsonElement node, string segment)
    {
        if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(segment, out var property))
        {
            return property;
        }

        if (node.ValueKind == JsonValueKind.Array && int.TryParse(segment, System.Globalization.NumberStyles.None, null, out var index)
            && index < node.GetArrayLength())
        {
            return node[index];
        }

        return null;
    }

    /// <summary>System.Text.Json's default depth limit, which the look-up keeps.</summary>
    public const int MaxDepth = 64;

    // Valid JSON that only fails the depth limit deserves its own words ("too deep", not "not JSON").
    private static bool IsTooDeep(string value)
    {
        try
        {
            using var deep = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = int.MaxValue });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
