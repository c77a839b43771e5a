using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ConfigManager.PluginSdk;

namespace ConfigManager.Plugins.AzTableStore;

/// <summary>
/// configmanager's AZTABLESTORE semantics: the entity's <c>value</c> property when it has one, otherwise the
/// whole entity as a JSON object (PartitionKey, RowKey, Timestamp and every property; no odata annotations).
/// Key lookup (<c>|key</c>) into either is done by the host.
/// </summary>
internal sealed class TableEntityTokenStore(TableClientFactory clients) : ITokenStore
{
    public async Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var path = TableTokenPath.Parse(token);
        TableEntity entity;
        try
        {
            var response = await clients.For(path).GetEntityAsync<TableEntity>(path.PartitionKey, path.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            entity = response.Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new KeyNotFoundException($"no entity {path} at {clients.DescribeEndpoint(path.Account)} (table or PartitionKey/RowKey not found)");
        }
        catch (RequestFailedException ex)
        {
            throw new InvalidOperationException($"reading entity {path} from {clients.DescribeEndpoint(path.Account)} failed: HTTP {ex.Status} {ex.ErrorCode}");
        }

        return entity.TryGetValue("value", out var value) && value is not null ? Text(value) : Json(entity);
    }

    /// <summary>A property as text: strings as they are, other types in their JSON/ISO spelling (Go's %v for the common ones).</summary>
    internal static string Text(object value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTime time => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        BinaryData data => Convert.ToBase64String(data.ToArray()),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    internal static string Json(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in entity.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                // Transport annotations (odata.etag, ...@odata.type) are not data.
                if (name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains("@odata.", StringComparison.Ordinal))
                {
                    continue;
                }

                json.WritePropertyName(name);
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case bool flag:
                        json.WriteBooleanValue(flag);
                        break;
                    case int number:
                        json.WriteNumberValue(number);
                        break;
                    case long number:
                        json.WriteNumberValue(number);
                        break;
                    case double number when double.IsFinite(number):
                        json.WriteNumberValue(number);
                        break;
                    default:
                        json.WriteStringValue(Text(value));
                        break;
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
