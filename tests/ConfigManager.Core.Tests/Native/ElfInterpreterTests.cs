using System.Buffers.Binary;
using System.Text;
using ConfigManager.Core.Native;

namespace ConfigManager.Core.Tests.Native;

/// <summary>PT_INTERP detection on synthetic ELF images (64/32-bit, both byte orders) and the musl-host test.</summary>
[TestClass]
public sealed class ElfInterpreterTests
{
    [TestMethod]
    [DataRow(true, true, "/lib64/ld-linux-x86-64.so.2", ElfLibc.Glibc)]
    [DataRow(true, true, "/lib/ld-linux-aarch64.so.1", ElfLibc.Glibc)]
    [DataRow(true, true, "/lib/ld-musl-x86_64.so.1", ElfLibc.Musl)]
    [DataRow(true, false, "/lib/ld-linux.so.3", ElfLibc.Glibc)]
    [DataRow(false, true, "/lib/ld-linux.so.2", ElfLibc.Glibc)]
    [DataRow(false, false, "/lib/ld-musl-armhf.so.1", ElfLibc.Musl)]
    [DataRow(true, true, "/system/bin/linker64", ElfLibc.Other)]
    public void Interpreter_is_read_from_PT_INTERP(bool is64, bool little, string interpreter, ElfLibc expected)
    {
        using var image = new MemoryStream(Elf(is64, little, interpreter));

        Assert.AreEqual(interpreter, ElfInterpreter.Of(image));
        Assert.AreEqual(expected, ElfInterpreter.LibcOf(image));
    }

    [TestMethod]
    public void Without_PT_INTERP_an_ELF_is_static()
    {
        using var image = new MemoryStream(Elf(is64: true, little: true, interpreter: null));

        Assert.IsNull(ElfInterpreter.Of(image));
        Assert.AreEqual(ElfLibc.Static, ElfInterpreter.LibcOf(image));
    }

    [TestMethod]
    public void Scripts_truncated_and_corrupt_images_are_not_glibc()
    {
        Assert.AreEqual(ElfLibc.NotElf, ElfInterpreter.LibcOf(new MemoryStream(Encoding.ASCII.GetBytes("#!/bin/sh\nexec plugin \"$@\"\n"))));
        var full = Elf(is64: true, little: true, "/lib64/ld-linux-x86-64.so.2");
        Assert.AreEqual(ElfLibc.Static, ElfInterpreter.LibcOf(new MemoryStream(full[..80])), "Program headers cut off: nothing found, nothing refused.");
        var huge = (byte[])full.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge.AsSpan(64 + 56 + 32), ulong.MaxValue);
        Assert.IsNull(ElfInterpreter.Of(new MemoryStream(huge)), "An absurd PT_INTERP size is ignored, not allocated.");
    }

    [TestMethod]
    public void A_real_dynamically_linked_binary_of_this_machine_reads_as_glibc()
    {
        // This machine is glibc (Debian); /bin/ls is a dynamically linked executable here.
        Assert.AreEqual(ElfLibc.Glibc, ElfInterpreter.LibcOf("/bin/ls"));
        StringAssert.Contains(ElfInterpreter.Of("/bin/ls")!, "ld-linux");
    }

    [TestMethod]
    public void Musl_host_is_told_by_the_runtime_identifier_or_a_musl_loader()
    {
        var lib = Directory.CreateTempSubdirectory("cm-elf-lib-").FullName;
        try
        {
            Assert.IsFalse(ElfInterpreter.IsMuslHost("linux-x64", lib));
            Assert.IsTrue(ElfInterpreter.IsMuslHost("linux-musl-x64", lib));
            Assert.IsTrue(ElfInterpreter.IsMuslHost("linux-musl-arm64", Path.Combine(lib, "absent")));
            File.WriteAllBytes(Path.Combine(lib, "ld-musl-x86_64.so.1"), []);
            Assert.IsTrue(ElfInterpreter.IsMuslHost("linux-x64", lib));
        }
        finally
        {
            Directory.Delete(lib, recursive: true);
        }
    }

    /// <summary>An ELF header, a PT_LOAD and (optionally) a PT_INTERP program header, then the interpreter string.</summary>
    private static byte[] Elf(bool is64, bool little, string? interpreter)
    {
        var ehsize = is64 ? 64 : 52;
        var phentsize = is64 ? 56 : 32;
        var phnum = interpreter is null ? 1 : 2;
        var interpOffset = ehsize + (phnum * phentsize);
        var name = interpreter is null ? [] : Encoding.ASCII.GetBytes(interpreter + "\0");
        var image = new byte[interpOffset + name.Length];
        image[0] = 0x7F;
        image[1] = (byte)'E';
        image[2] = (byte)'L';
        image[3] = (byte)'F';
        image[4] = (byte)(is64 ? 2 : 1);
        image[5] = (byte)(little ? 1 : 2);
        image[6] = 1;
        Write16(image, 16, 2, little); // ET_EXEC
        if (is64)
        {
            Write64(image, 32, (ulong)ehsize, little);
            Write16(image, 54, (ushort)phentsize, little);
            Write16(image, 56, (ushort)phnum, little);
        }
        else
        {
            Write32(image, 28, (uint)ehsize, little);
            Write16(image, 42, (ushort)phentsize, little);
            Write16(image, 44, (ushort)phnum, little);
        }

        Write32(image, ehsize, 1, little); // PT_LOAD first, as linkers emit PT_PHDR/PT_INTERP/PT_LOAD in some order
        if (interpreter is not null)
        {
            var ph = ehsize + phentsize;
            Write32(image, ph, 3, little); // PT_INTERP
            if (is64)
            {
                Write64(image, ph + 8, (ulong)interpOffset, little);
                Write64(image, ph + 32, (ulong)name.Length, little);
            }
            else
            {
                Write32(image, ph + 4, (uint)interpOffset, little);
                Write32(image, ph + 16, (uint)name.Length, little);
            }

            name.CopyTo(image, interpOffset);
        }

        return image;
    }

    private static void Write16(byte[] b, int at, ushort v, bool little)
    {
        if (little)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
        }
    }

    private static void Write32(byte[] b, int at, uint v, bool little)
    {
        if (little)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        }
    }

    private static void Write64(byte[] b, int at, ulong v, bool little)
    {
        if (little)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(at), v);
        }
    }
}
