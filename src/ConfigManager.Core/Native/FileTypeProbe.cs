using System.Runtime.InteropServices;

namespace ConfigManager.Core.Native;

/// <summary>
/// Tells regular files from devices and FIFOs, which the BCL cannot: Linux <c>statx(2)</c>, whose
/// structure has the same layout on every architecture, so no per-arch <c>struct stat</c> is needed.
/// </summary>
internal static partial class FileTypeProbe
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x0001;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int RegularBits = 0x8000;
    private const int DirectoryBits = 0x4000;
    private const int NoEntry = 2;
    private const int NotDirectory = 20;

    /// <summary>The type of what <paramref name="path"/> names, following symbolic links.</summary>
    public static FileType Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path) ? FileType.Unknown : Directory.Exists(path) ? FileType.Directory : FileType.Missing;
        }

        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is NoEntry or NotDirectory ? FileType.Missing : FileType.Unknown;
        }

        var mode = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
        return mode switch
        {
            RegularBits => FileType.Regular,
            DirectoryBits => FileType.Directory,
            _ => FileType.Special,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
