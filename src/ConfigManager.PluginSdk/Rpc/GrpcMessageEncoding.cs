using System.Text;

namespace ConfigManager.PluginSdk.Rpc;

/// <summary>grpc-message is percent-encoded UTF-8: every byte outside 0x20–0x7E, and '%' itself, as %XX.</summary>
internal static class GrpcMessageEncoding
{
    public static string Encode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        if (Array.TrueForAll(bytes, IsPlain))
        {
            return message;
        }

        var encoded = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (IsPlain(b))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static bool IsPlain(byte b) => b is >= 0x20 and <= 0x7E and not (byte)'%';
}
