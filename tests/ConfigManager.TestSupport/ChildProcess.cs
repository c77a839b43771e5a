using System.Diagnostics;

namespace ConfigManager.TestSupport;

/// <summary>Runs a short-lived program to completion with its output captured (e.g. the Go host, gohost).</summary>
public static class ChildProcess
{
    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="arguments"/> and this process's environment changed by
    /// <paramref name="environment"/> (a null value removes the variable), waits for it and returns what it wrote; one
    /// that outlives <paramref name="timeout"/> is killed, so a hung run leaves no process behind.
    /// </summary>
    public static async Task<ChildProcessResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, IEnumerable<(string Name, string? Value)>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}. stderr: {await stderr}");
        }

        return new ChildProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
