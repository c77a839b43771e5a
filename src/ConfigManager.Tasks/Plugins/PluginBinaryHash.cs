using System.Collections.Concurrent;
using ConfigManager.Core.Plugins;

namespace ConfigManager.Tasks.Plugins;

/// <summary>SHA-256 of a plugin binary (the lock file's hash), cached per node by path, size and write time (every project asks again).</summary>
internal static class PluginBinaryHash
{
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime WriteTime), string> s_hashes = new();

    public static string Of(string path)
    {
        var info = new FileInfo(path);
        return s_hashes.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), key => PluginLockFile.ComputeSha256(key.Path));
    }
}
