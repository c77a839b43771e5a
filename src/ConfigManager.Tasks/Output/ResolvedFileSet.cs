using System.Text;
using ConfigManager.Core.Native;
using ConfigManager.Core.Output;

namespace ConfigManager.Tasks.Output;

/// <summary>
/// Writes a project's resolved copies all-or-nothing: every file goes to a temp file beside its target first,
/// and only when all temps are written (by <see cref="AtomicFile"/>'s one staging write) are they renamed into place.
/// On failure no temp and no partial file stays.
/// </summary>
internal sealed class ResolvedFileSet
{
    private readonly List<(string Target, Func<Stream, CancellationToken, Task> Write)> _pending = [];

    /// <summary>Queues resolved text; keeps the source's byte order mark so only token spans differ.</summary>
    public void AddText(string targetPath, string text, Encoding encoding)
        => _pending.Add((targetPath, async (stream, ct) =>
        {
            await using var writer = new StreamWriter(stream, encoding, leaveOpen: true);
            await writer.WriteAsync(text.AsMemory(), ct).ConfigureAwait(false);
        }
    ));

    /// <summary>Queues a byte-for-byte copy (a file with no tokens stays exactly as written).</summary>
    public void AddCopy(string targetPath, string sourcePath)
        => _pending.Add((targetPath, async (stream, ct) =>
        {
            // A new file, not File.Copy: it gets the time it was made (the build's Inputs/Outputs check needs it)
            // and owner-only mode, not the source's.
            await using var source = File.OpenRead(sourcePath);
            await source.CopyToAsync(stream, ct).ConfigureAwait(false);
        }
    ));

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var temps = new List<(string Temp, string Target)>(_pending.Count);
        foreach (var (target, _) in _pending)
        {
            // Checked before any temp exists: a device or FIFO at a target fails the set with nothing written.
            AtomicFile.EnsureReplaceable(target);
        }

        try
        {
            foreach (var (target, write) in _pending)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var temp = AtomicFile.TempPathFor(Path.GetFullPath(target));
                temps.Add((temp, target));

                // Owner-only from creation: the copy holds values; MSBuild's Copy keeps the mode in bin/ and publish/.
                await AtomicFile.StageAsync(temp, write, AtomicFile.SecretMode, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (temp, target) in temps)
            {
                File.Move(temp, target, overwrite: true);
            }
        }
        finally
        {
            foreach (var (temp, _) in temps)
            {
                TryDelete(temp);
            }
        }
    }

    /// <summary>Removes earlier resolved copies so a failed run can never leave a stale one to be copied.</summary>
    public static void DeleteStale(IEnumerable<string> targetPaths)
    {
        foreach (var path in targetPaths)
        {
            if (FileTypeProbe.Of(path) is not FileType.Regular and not FileType.Unknown)
            {
                // Unlinking a device or FIFO someone put at an output path would destroy it too.
                continue;
            }

            TryDelete(path);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the next run overwrites it anyway.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
