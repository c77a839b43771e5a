using System.Text;
using System.Threading.Channels;

namespace ConfigManager.PluginSdk.Logging;

/// <summary>
/// Takes the place of Console.Out so that only the handshake line ever reaches the real stdout; what plugin
/// code prints goes to the host over GRPCStdio instead (as go-plugin does for os.Stdout).
/// </summary>
internal sealed class StdoutForwarder : TextWriter
{
    // Bounded so a host that never reads stdio cannot make the plugin hoard memory; oldest chunks go first.
    private readonly Channel<byte[]> _chunks = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });

    public override Encoding Encoding => Encoding.UTF8;

    public ChannelReader<byte[]> Chunks => _chunks.Reader;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _chunks.Writer.TryWrite(Encoding.UTF8.GetBytes(value));
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write(value + NewLine);
}
