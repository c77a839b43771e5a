using System.Diagnostics;
using System.Text;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>Runs the real <c>dotnet</c> CLI in a clean MSBuild environment (nothing inherited from the test host's own build).</summary>
public static class Dotnet
{
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] arguments)
        => Run(workingDirectory, environment, timeout, onStarted: null, arguments);

    /// <summary>As <see cref="Run(string, IReadOnlyDictionary{string, string?}, TimeSpan, string[])"/>; <paramref name="onStarted"/> runs beside the process (e.g. to signal it).</summary>
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, Action<Process>? onStarted, params string[] arguments)
    {
        var startInfo = StartInfo(workingDirectory, environment, arguments);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var beside = onStarted is null ? Task.CompletedTask : Task.Run(() => onStarted(process));
        // The caller's timeout is what a quiet machine needs; it only catches a hang (HangGuard scales it for load).
        timeout = ConfigManager.TestSupport.HangGuard.Limit(timeout);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }

        process.WaitForExit();
        beside.GetAwaiter().GetResult();
        lock (output)
        {
            return new CommandResult("dotnet " + string.Join(' ', arguments), process.ExitCode, output.ToString());
        }
    }

    /// <summary>The clean environment every dotnet command of these tests runs in.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // `dotnet test` exports MSBuild variables that would make the child build use the wrong SDK pieces.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
