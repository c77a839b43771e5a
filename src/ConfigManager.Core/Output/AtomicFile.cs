using System.Text;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Native;

namespace ConfigManager.Core.Output;

/// <summary>
/// Writes a whole file or nothing: the content goes to a temp file beside the target (created with the
/// final permissions, so a secret is never readable by others, not even briefly), is flushed to disk,
/// then renamed over the target. On any failure the target is untouched and the temp file removed.
/// A target that exists and is not a regular file (a device, FIFO, socket or directory, also through a
/// symbolic link such as <c>/dev/stdout</c>) is refused: renaming over it would destroy it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Owner read/write only: for every file that holds resolved values.</summary>
    public const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwxr-xr-x: for installed plugin executables.</summary>
    public const UnixFileMode ExecutableMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) to <paramref name="path"/> with <paramref name="mode"/>.</summary>
    /// <exception cref="ConfigManagerException">CM4100 when the file cannot be written (names the path, never the content).</exception>
    public static Task WriteTextAsync(string path, string text, UnixFileMode mode, CancellationToken cancellationToken)
        => WriteAsync(path, (stream, ct) => stream.WriteAsync(new UTF8Encoding(false).GetBytes(text), ct).AsTask(), mode, cancellationToken);

    /// <summary>Streams content produced by <paramref name="write"/> into <paramref name="path"/>, atomically.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        if (Path.EndsInDirectorySeparator(fullPath) || Path.GetFileName(fullPath).Length == 0)
        {
            // "out/newdir/" names a folder: refused before anything is created.
            throw new ConfigManagerException(
                FileErrorCodes.WriteFailed,
                $"Cannot write '{path}': the path ends in a directory separator, so it names a folder, not a file. Name the output file, e.g. {Path.Combine(path, "app.env")}.");
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        var temp = TempPathFor(fullPath);
        EnsureReplaceable(fullPath);
        var created = MissingAncestors(directory);
        try
        {
            Directory.CreateDirectory(directory);
            await StageAsync(temp, write, mode, cancellationToken).ConfigureAwait(false);
            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            TryDelete(temp);
            RemoveCreated(created);
            throw new ConfigManagerException(
                FileErrorCodes.WriteFailed,
                $"Cannot write '{fullPath}': {ex.Message} Check that the directory exists and is writable.",
                inner: ex);
        }
        catch
        {
            TryDelete(temp);
            RemoveCreated(created);
            throw;
        }
    }

    /// <summary>A fresh temp path beside <paramref name="fullPath"/> (same folder, so the final rename is atomic).</summary>
    internal static string TempPathFor(string fullPath)
        => Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Writes <paramref name="temp"/> (new, created with <paramref name="mode"/>, flushed to disk) for a later rename;
    /// the one write both <see cref="WriteAsync"/> and the MSBuild task's all-or-nothing file set use.
    /// </summary>
    internal static async Task StageAsync(string temp, Func<Stream, CancellationToken, Task> write, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        await using (var stream = new FileStream(temp, options))
        {
            await write(stream, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode is filtered by the umask; set it exactly.
            File.SetUnixFileMode(temp, mode);
        }
    }

    // The folders Directory.CreateDirectory would make, deepest first, so a failed write can take them away again.
    private static List<string> MissingAncestors(string directory)
    {
        var missing = new List<string>();
        for (var dir = directory; !string.IsNullOrEmpty(dir) && !Directory.Exists(dir) && !File.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Add(dir);
        }

        return missing;
    }

    private static void RemoveCreated(List<string> created)
    {
        foreach (var dir in created)
        {
            try
            {
                // Not recursive: only a folder this write made and left empty goes.
                Directory.Delete(dir, recursive: false);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Throws CM4103 when <paramref name="path"/> exists and is not a regular file (links followed).</summary>
    public static void EnsureReplaceable(string path)
    {
        var type = FileTypeProbe.Of(path);
        if (type is FileType.Special or FileType.Directory)
        {
            var what = type == FileType.Directory ? "a directory" : "not a regular file (a device, FIFO or socket)";
            throw new ConfigManagerException(
                FileErrorCodes.NotRegularFile,
                $"Refusing to write '{path}': it is {what}, and replacing it would destroy it. "
                + "Name a regular file (or a new one) as the output; to print the result, leave the output path out.");
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
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
