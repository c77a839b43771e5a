using System.CommandLine;
using System.Text;
using System.Text.Json;
using ConfigManager.Core;
using ConfigManager.Core.Documents;
using ConfigManager.Core.Tokens;
using ConfigManager.Tool.Terminal;

namespace ConfigManager.Tool.Commands;

/// <summary><c>scan</c>: lists every token in the inputs without resolving anything (no plugin is started).</summary>
internal static class ScanCommand
{
    public static Command Create(GlobalOptions global, ToolConsole console)
    {
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "Files to scan; repeat -i or list several after one -i",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "FILE",
        };
        var format = new Option<string>("--format")
        {
            Description = "text (file:line:column and the token's parts) or json (an array of {file, line, column, token, prefix, path, keyPath, metadata})",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command("scan", "Lists every token in the given files with its position and parts, without resolving (exit 1 on malformed tokens)")
        {
            inputs,
            format,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            // Scan never fetches a value, so there is nothing to mask.
            return await CommandRun.GuardAsync(console, mask: null, async () =>
            {
                var documents = await ReadDocumentsAsync(parse.GetValue(inputs)!, cancellationToken).ConfigureAwait(false);
                var options = global.Engine(parse);
                var result = TokenEngine.Scan(documents, options);
                var text = parse.GetValue(format) == "json" ? AsJson(result.Tokens) : AsText(result.Tokens);
                await console.WriteOutputAsync(text, cancellationToken).ConfigureAwait(false);
                console.Report(result.Diagnostics, mask: null);
                return result.Succeeded ? ExitCodes.Ok : ExitCodes.For(result.Diagnostics);
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Reads each file whole; the path is kept as the user wrote it, so output matches their command line.</summary>
    internal static async Task<IReadOnlyList<SourceDocument>> ReadDocumentsAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var documents = new List<SourceDocument>();
        foreach (var path in paths)
        {
            // The loader string-input and the task use: same BOM detection, same strict decoding, same format.
            documents.Add((await DocumentLoader.ReadFileAsync(path, path, DocumentFormat.Auto, cancellationToken).ConfigureAwait(false)).Document);
        }

        return documents;
    }

    private static string AsText(IReadOnlyList<ConfigToken> tokens)
    {
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            text.Append($"{token.File}:{token.Line}:{token.Column}: {token.Text} (prefix {token.Prefix}, path {token.StorePath}");
            if (token.KeyPath.Length > 0)
            {
                text.Append($", key {token.KeyPath}");
            }

            if (token.Metadata.Length > 0)
            {
                text.Append($", metadata {token.Metadata}");
            }

            text.Append(")\n");
        }

        return text.ToString();
    }

    private static string AsJson(IReadOnlyList<ConfigToken> tokens)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var token in tokens)
            {
                writer.WriteStartObject();
                writer.WriteString("file", token.File);
                writer.WriteNumber("line", token.Line);
                writer.WriteNumber("column", token.Column);
                writer.WriteString("token", token.Text);
                writer.WriteString("prefix", token.Prefix);
                writer.WriteString("path", token.StorePath);
                writer.WriteString("keyPath", token.KeyPath);
                writer.WriteString("metadata", token.Metadata);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
