using ConfigManager.Tool.Install;

namespace ConfigManager.Tool.Terminal;

/// <summary>
/// Shows install progress on stderr: a line redrawn in place on a terminal; otherwise (CI logs) one line when a
/// plugin starts and one when it is done.
/// </summary>
internal sealed class ProgressPrinter(TextWriter error, bool isTerminal) : IProgress<InstallProgress>
{
    private readonly object _gate = new();
    private long _lastDrawn = -1;

    public void Report(InstallProgress value)
    {
        lock (_gate)
        {
            var amount = value.TotalBytes is { } total and > 0
                ? $"{value.BytesDone * 100 / total,3}% {Size(value.BytesDone)}/{Size(total)}"
                : Size(value.BytesDone);
            if (value.Completed)
            {
                error.Write((isTerminal ? "\r" : string.Empty) + $"{value.Prefix}: {amount} from {value.Source} done\n");
                _lastDrawn = -1;
            }
            else if (value.BytesDone == 0)
            {
                error.Write($"{value.Prefix}: fetching {value.Source}" + (isTerminal ? "\n" : " ...\n"));
            }
            else if (isTerminal && value.BytesDone - _lastDrawn >= 256 * 1024)
            {
                error.Write($"\r{value.Prefix}: {amount}");
                _lastDrawn = value.BytesDone;
            }
        }
    }

    private static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.0} MiB" : $"{bytes / 1024.0:0.0} KiB";
}
