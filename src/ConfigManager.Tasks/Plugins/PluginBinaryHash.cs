using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ConfigManager.Tasks.Plugins;

/// <summary>SHA-256 of a plugin binary, cached per node by path, size and write time (every project asks again).</summary>
internal static class PluginBinaryHash
{
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime WriteTime), string> s_hashes = new();

    public static string Of(string path)
    {
        var info = new FileInfo(path);
        return s_hashes.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), key =>
        {
            using var stream = File.OpenRead(key.Path);
            return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
        });
    }
}
