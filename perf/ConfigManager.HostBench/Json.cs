using System.Globalization;
using System.Text;

namespace ConfigManager.HostBench;

/// <summary>Tiny reflection-free JSON writer (keeps the bench NativeAOT-clean).</summary>
internal static class Json
{
    public static string Object(params (string Key, object Value)[] members)
    {
        var text = new StringBuilder("{");
        foreach (var (key, value) in members)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append('"').Append(key).Append("\":").Append(Value(value));
        }

        return text.Append('}').ToString();
    }

    private static string Value(object value) => value switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        Dictionary<string, double> map => Object(map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, (object)kv.Value)).ToArray()),
        _ => throw new ArgumentException("unsupported JSON value", nameof(value)),
    };
}
