using System.Runtime.InteropServices;

namespace ConfigManager.Tool.Terminal;

/// <summary>
/// Run as <c>dotnet configmanager ... &gt;&amp;-</c>, fd 1 is closed: the runtime's console set-up aborts (exit 134),
/// and worse, the next file the process opens would become fd 1 and receive the result. So before anything else,
/// each closed descriptor 0–2 is filled with <c>/dev/null</c>, and a closed stdout is remembered, so that writing
/// the result is CM4100 (exit 6) instead of vanishing into /dev/null.
/// </summary>
internal static partial class StandardDescriptors
{
    private const int GetDescriptorFlags = 1;
    private const int BadDescriptor = 9;
    private const int ReadWrite = 2;

    /// <summary>True when fd 1 was closed at start (the result cannot be written to stdout).</summary>
    public static bool StdoutWasClosed { get; private set; }

    /// <summary>Opens /dev/null on each of fd 0, 1, 2 that is closed (lowest free descriptor first, so each lands on its own number).</summary>
    public static void EnsureOpen()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        for (var fd = 0; fd <= 2; fd++)
        {
            if (Fcntl(fd, GetDescriptorFlags) != -1 || Marshal.GetLastPInvokeError() != BadDescriptor)
            {
                continue;
            }

            var opened = Open("/dev/null", ReadWrite);
            if (fd == 1)
            {
                StdoutWasClosed = true;
            }

            if (opened != fd && opened >= 0)
            {
                // Not the descriptor we meant to fill (cannot happen when filling in order); do not leak it.
                _ = Close(opened);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
