using System.Buffers.Binary;
using System.Text;

namespace ConfigManager.Core.Native;

/// <summary>Which C library an ELF executable asks its loader for, from its PT_INTERP segment.</summary>
public enum ElfLibc
{
    /// <summary>Not an ELF file, or unreadable: nothing to say.</summary>
    NotElf,

    /// <summary>No PT_INTERP: statically linked (Go's default with CGO off); runs on glibc and musl alike.</summary>
    Static,

    /// <summary>Interpreter /lib64/ld-linux-x86-64.so.2, /lib/ld-linux-aarch64.so.1, ...: needs glibc.</summary>
    Glibc,

    /// <summary>Interpreter /lib/ld-musl-*.so.1: needs musl (Alpine).</summary>
    Musl,

    /// <summary>Another interpreter.</summary>
    Other,
}

/// <summary>
/// Reads the ELF program headers (32/64-bit, either byte order) to find PT_INTERP, so a glibc plugin can be refused
/// on a musl host before it is launched (it would fail there with a bare "not found" from the loader).
/// </summary>
public static class ElfInterpreter
{
    private const uint PtInterp = 3;
    private const int MaxInterpreterLength = 4096;

    /// <summary>The interpreter path of the ELF file at <paramref name="path"/>, or null (static, not ELF, unreadable).</summary>
    public static string? Of(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Of(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The interpreter path of the ELF image in <paramref name="stream"/> (seekable), or null.</summary>
    public static string? Of(Stream stream)
    {
        Span<byte> ident = stackalloc byte[64];
        if (ReadAt(stream, 0, ident) < 52 || ident[0] != 0x7F || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F')
        {
            return null;
        }

        var is64 = ident[4] == 2;
        var little = ident[5] != 2;
        ulong phoff = is64 ? U64(ident[32..], little) : U32(ident[28..], little);
        int phentsize = U16(is64 ? ident[54..] : ident[42..], little);
        int phnum = U16(is64 ? ident[56..] : ident[44..], little);
        if (phentsize < (is64 ? 56 : 32) || phnum is 0 or > 4096)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[56];
        for (var i = 0; i < phnum; i++)
        {
            var at = (long)phoff + ((long)i * phentsize);
            if (ReadAt(stream, at, header[..(is64 ? 56 : 32)]) < (is64 ? 56 : 32) || U32(header, little) != PtInterp)
            {
                continue;
            }

            ulong offset = is64 ? U64(header[8..], little) : U32(header[4..], little);
            ulong size = is64 ? U64(header[32..], little) : U32(header[16..], little);
            if (size is 0 or > MaxInterpreterLength)
            {
                return null;
            }

            var name = new byte[(int)size];
            var read = ReadAt(stream, (long)offset, name);
            return Encoding.ASCII.GetString(name, 0, read).TrimEnd('\0');
        }

        return null;
    }

    /// <summary>What the file at <paramref name="path"/> needs from the C library.</summary>
    public static ElfLibc LibcOf(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return LibcOf(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ElfLibc.NotElf;
        }
    }

    public static ElfLibc LibcOf(Stream stream)
    {
        Span<byte> magic = stackalloc byte[4];
        if (ReadAt(stream, 0, magic) < 4 || magic[0] != 0x7F || magic[1] != (byte)'E' || magic[2] != (byte)'L' || magic[3] != (byte)'F')
        {
            return ElfLibc.NotElf;
        }

        return Of(stream) switch
        {
            null => ElfLibc.Static,
            var i when i.Contains("ld-musl", StringComparison.Ordinal) => ElfLibc.Musl,
            var i when i.Contains("ld-linux", StringComparison.Ordinal) || i.Contains("ld64.so", StringComparison.Ordinal) => ElfLibc.Glibc,
            _ => ElfLibc.Other,
        };
    }

    /// <summary>
    /// True on a musl host: the running .NET's RID is linux-musl-*, or a musl loader (/lib/ld-musl-*) is present.
    /// </summary>
    public static bool IsMuslHost(string runtimeIdentifier, string libDirectory = "/lib")
        => runtimeIdentifier.StartsWith("linux-musl-", StringComparison.OrdinalIgnoreCase)
           || (Directory.Exists(libDirectory) && Directory.EnumerateFiles(libDirectory, "ld-musl-*").Any());

    private static int ReadAt(Stream stream, long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset >= stream.Length)
        {
            return 0;
        }

        stream.Position = offset;
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static ushort U16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private static ulong U64(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
}
