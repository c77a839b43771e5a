using System.Security.Cryptography;

namespace ConfigManager.TestSupport;

/// <summary>
/// Stand-in plugin binaries for install tests: random bytes behind an ELF magic number, as a real linux plugin
/// starts. Pure random bytes would start with '&lt;' once in 256 runs, which the installer rightly refuses as an
/// HTML page (CM5061).
/// </summary>
public static class FakeBinary
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary><paramref name="length"/> bytes (at least 4): the ELF magic, then random bytes.</summary>
    public static byte[] Bytes(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, ElfMagic.Length);
        var bytes = RandomNumberGenerator.GetBytes(length);
        ElfMagic.CopyTo(bytes);
        return bytes;
    }
}
