using System.Text.Json;
using ConfigManager.Core.Logging;

namespace ConfigManager.Core.Resolution;

/// <summary>A JSON secret document is secret as a whole: each string in it is masked, looked up or not.</summary>
internal static class JsonSecretStrings
{
    public static void AddTo(SecretMask mask, string value)
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
}
