using System.Runtime.InteropServices;

namespace ConfigManager.Tool.Terminal;

/// <summary>
/// Standard output as <c>write(2)</c> on fd 1. The runtime's console stream drops EPIPE silently, so
/// <c>dotnet configmanager ... | head</c> would exit 0 with the output cut short; here every failure (EPIPE, ENOSPC,
/// a closed fd 1) is an <see cref="IOException"/> the command turns into CM4100 (exit 6). Writing through the fd
/// (not pwrite) keeps the shared file offset right for <c>{ ...; echo; } &gt; file</c>.
/// </summary>
internal sealed partial class StdoutStream : Stream
{
    private const int StdoutFd = 1;
    private const int Interrupted = 4;
    private const int WouldBlock = 11;
    private const int BrokenPipe = 32;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (StandardDescriptors.StdoutWasClosed && !buffer.IsEmpty)
        {
            throw new IOException("standard output is closed (>&-).");
        }

        while (!buffer.IsEmpty)
        {
            var written = WriteFd(StdoutFd, buffer, buffer.Length);
            if (written >= 0)
            {
                buffer = buffer[(int)written..];
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Interrupted)
            {
                continue;
            }

            if (errno == WouldBlock)
            {
                // A non-blocking stdout (rare: inherited O_NONBLOCK) that is full: wait for the reader.
                Thread.Sleep(1);
                continue;
            }

            throw new IOException(
                errno == BrokenPipe ? "Broken pipe: the reader of standard output closed it before the result was written whole (e.g. | head)." : Marshal.GetPInvokeErrorMessage(errno),
                errno);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteFd(int fd, ReadOnlySpan<byte> buffer, nint count);
}
