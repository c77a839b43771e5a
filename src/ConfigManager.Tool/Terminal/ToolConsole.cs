using System.Text;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool.Terminal;

/// <summary>
/// The process's streams as the commands use them: results to stdout (UTF-8, no BOM), coded diagnostics and
/// logs to stderr, always through the run's <see cref="SecretMask"/>.
/// </summary>
internal sealed class ToolConsole
{
    private static readonly UTF8Encoding s_utf8 = new(false);

    public ToolConsole(TextReader input, Stream output, TextWriter error)
    {
        Input = input;
        Output = output;
        Error = error;
    }

    public TextReader Input { get; }

    public Stream Output { get; }

    public TextWriter Error { get; }

    public bool ErrorIsTerminal { get; init; }

    public static ToolConsole ForProcess()
    {
        var error = new StreamWriter(Console.OpenStandardError(), s_utf8) { AutoFlush = true };
        var input = new StreamReader(Console.OpenStandardInput(), s_utf8);
        var output = OperatingSystem.IsLinux() ? new StdoutStream() : Console.OpenStandardOutput();
        return new ToolConsole(input, output, error) { ErrorIsTerminal = !Console.IsErrorRedirected };
    }

    /// <summary>Writes result text to stdout.</summary>
    public Task WriteOutputAsync(string text, CancellationToken cancellationToken) => WriteOutputAsync(s_utf8.GetBytes(text), cancellationToken);

    /// <summary>Writes result bytes (already encoded) to stdout.</summary>
    /// <exception cref="ConfigManagerException">CM4100 when stdout is closed, a broken pipe or a full disk (exit 6).</exception>
    public async Task WriteOutputAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await Output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigManagerException(
                ToolErrorCodes.WriteFailed,
                $"Cannot write the result to standard output: {ex.Message.TrimEnd('.')}. The output is incomplete; write it to a file with -p PATH instead.",
                inner: ex);
        }
    }

    public Task WriteOutputLineAsync(string line, CancellationToken cancellationToken) => WriteOutputAsync(line + "\n", cancellationToken);

    /// <summary>Prints diagnostics as <c>file(line,col): error CMxxxx: message</c>, masked.</summary>
    public void Report(IEnumerable<Diagnostic> diagnostics, SecretMask? mask)
    {
        foreach (var diagnostic in diagnostics)
        {
            var text = diagnostic.ToString();
            if (diagnostic.TokenName is not null && !text.Contains(diagnostic.TokenName, StringComparison.Ordinal))
            {
                text += $" [token {diagnostic.TokenName}]";
            }

            if (diagnostic.PluginPath is not null && !text.Contains(diagnostic.PluginPath, StringComparison.Ordinal))
            {
                text += $" [plugin {diagnostic.PluginPath}]";
            }

            Error.WriteLine(mask is null ? text : mask.Redact(text));
        }
    }

    public void Report(Diagnostic diagnostic, SecretMask? mask) => Report([diagnostic], mask);
}
