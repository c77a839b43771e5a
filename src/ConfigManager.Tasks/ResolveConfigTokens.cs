using System.Globalization;
using System.Text;
using ConfigManager.Core;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Documents;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Settings;
using ConfigManager.Tasks.Logging;
using ConfigManager.Tasks.Output;
using ConfigManager.Tasks.Plugins;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;

namespace ConfigManager.Tasks;

/// <summary>
/// Resolves the tokens of all given files in one engine call and writes each resolved copy to its
/// <c>OutputPath</c> metadata. Parameters, outputs and log messages carry paths and token names, never values.
/// </summary>
public sealed class ResolveConfigTokens : SettingsTask, ICancelableTask
{
    private const string Subcategory = "ConfigManager";
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Source files. Metadata: <c>OutputPath</c> (required, where the resolved copy goes), <c>Format</c> (optional: Json, Xml, Yaml, Text).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    public bool Lax { get; set; }

    /// <summary>A token-shaped string with no plugin and no known prefix is error CM2050 instead of a warning.</summary>
    public bool StrictPrefixes { get; set; }

    public bool InjectStructuredValues { get; set; }

    /// <summary>0 keeps the engine's default.</summary>
    public int MaxConcurrencyPerPrefix { get; set; }

    public string? LockFile { get; set; }

    public bool AutoMtls { get; set; } = true;

    /// <summary>Opt-in, <c>;</c>-separated folders: a plugin whose real path is outside all of them is refused (CM2041).</summary>
    public string? TrustedPluginRoots { get; set; }

    /// <summary>Core's duration grammar (<c>60</c>, <c>30s</c>, <c>500ms</c>, <c>00:01:00</c>; at most 24 h); empty keeps the default.</summary>
    public string? HandshakeTimeout { get; set; }

    /// <summary>Core's duration grammar (<c>60</c>, <c>30s</c>, <c>500ms</c>, <c>00:01:00</c>; at most 24 h); empty keeps the default.</summary>
    public string? CallTimeout { get; set; }

    /// <summary>The resolved copies. Metadata: <c>SourceFile</c>, <c>TokenCount</c>.</summary>
    [Output]
    public ITaskItem[] ResolvedFiles { get; private set; } = [];

    /// <summary>Every token found, by name. Metadata: <c>File</c>, <c>Line</c>, <c>Column</c>, <c>Prefix</c>.</summary>
    [Output]
    public ITaskItem[] Tokens { get; private set; } = [];

    /// <summary>Plugin processes launched so far by this node's shared host (diagnostics and tests).</summary>
    [Output]
    public int PluginLaunchCount { get; private set; }

    public void Cancel() => _cancellation.Cancel();

    // The source is not disposed: MSBuild may call Cancel from another thread after Execute returned.
    public override bool Execute() => ExecuteAsync(_cancellation.Token).GetAwaiter().GetResult();

    private async Task<bool> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (Files.Length == 0)
        {
            return true;
        }

        if (!TryReadOptions(out var engineOptions, out var hostOptions) || !TryReadSources(out var sources))
        {
            return false;
        }

        var outputPaths = Files.Select(f => Path.GetFullPath(f.GetMetadata("OutputPath"))).ToArray();
        if (!CanRunPlugins(sources, engineOptions, hostOptions))
        {
            ResolvedFileSet.DeleteStale(outputPaths);
            return false;
        }

        var engine4 = BuildEngine as IBuildEngine4;
        SharedPluginHost? unshared = null;
        SharedPluginHost? shared = null;
        try
        {
            shared = engine4 is null
                ? unshared = SharedPluginHost.CreateUnshared(hostOptions)
                : SharedPluginHost.Acquire(engine4, hostOptions);
            var taskSink = RedactingLogSink.Over(new TaskLogSink(Log), shared.Mask);
            EngineResult result;
            using (shared.Sink.Attach(taskSink))
            {
                try
                {
                    result = await TokenEngine.ResolveAsync(
                        sources.Select(s => s.Document).ToArray(), engineOptions, shared, taskSink, shared.Mask, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    // Plugin stderr is held until values are known to the mask; this project's lines go to its own log.
                    shared.FlushLogs();
                }
            }

            PluginLaunchCount = shared.LaunchCount;
            // SIGTERM to the build kills the plugins at once, before MSBuild's Cancel arrives: that is a cancellation.
            if (!result.Succeeded && ProcessTermination.Requested)
            {
                throw new OperationCanceledException();
            }

            foreach (var diagnostic in result.Diagnostics)
            {
                LogDiagnostic(diagnostic, shared.Mask);
            }

            if (!result.Succeeded)
            {
                ResolvedFileSet.DeleteStale(outputPaths);
                return false;
            }

            await WriteOutputsAsync(sources, result, outputPaths, cancellationToken).ConfigureAwait(false);
            Log.LogMessage(
                MessageImportance.Normal,
                "resolved {0} token(s) in {1} file(s); plugin processes launched on this node so far: {2}.",
                Tokens.Length,
                ResolvedFiles.Length,
                PluginLaunchCount);
            return !Log.HasLoggedErrors;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || ProcessTermination.Requested)
        {
            ResolvedFileSet.DeleteStale(outputPaths);
            if (engine4 is not null)
            {
                SharedPluginHost.Release(engine4, hostOptions);
            }

            Log.LogError(Subcategory, "CM4053", null, null, 0, 0, 0, 0, "token resolution was cancelled; plugin processes were stopped and no resolved file was written.");
            return false;
        }
        catch (ConfigManagerException e)
        {
            ResolvedFileSet.DeleteStale(outputPaths);
            LogCoded(e.Code, Redact(shared, e.Message) + PluginSuffix(e.PluginPath), file: null, line: 0, column: 0);
            return false;
        }
        catch (IOException e)
        {
            ResolvedFileSet.DeleteStale(outputPaths);
            LogCoded("CM4051", "could not write a resolved file under the intermediate output folder: " + Redact(shared, e.Message) + " Check that the folder is writable and not locked, then build again.", file: null, line: 0, column: 0);
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ResolvedFileSet.DeleteStale(outputPaths);
            LogCoded("CM4050", $"unexpected {e.GetType().Name} while resolving tokens: {Redact(shared, e.Message)} Rebuild with -v:d for the engine's log and report this if it persists.", file: null, line: 0, column: 0);
            return false;
        }
        finally
        {
            unshared?.Dispose();
        }
    }

    // Before any launch: a glibc plugin on a musl host (Alpine) is refused with CM4054 rather than failing obscurely.
    private bool CanRunPlugins(List<Source> sources, EngineOptions engineOptions, PluginHostOptions hostOptions)
    {
        var problems = MuslPluginCheck.Problems(sources.Select(s => s.Document.Text), engineOptions, hostOptions.CreateLocator(), MuslPluginCheck.IsMuslHost(), System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier);
        foreach (var (message, pluginPath) in problems)
        {
            LogCoded(MuslPluginCheck.Code, message + PluginSuffix(pluginPath), file: null, line: 0, column: 0);
        }

        return problems.Count == 0;
    }

    private async Task WriteOutputsAsync(IReadOnlyList<Source> sources, EngineResult result, string[] outputPaths, CancellationToken cancellationToken)
    {
        var byPath = result.Documents.ToDictionary(d => d.Source.Path, StringComparer.Ordinal);
        var files = new ResolvedFileSet();
        var resolvedItems = new List<ITaskItem>(sources.Count);
        var tokenItems = new List<ITaskItem>();
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            if (!byPath.TryGetValue(source.Document.Path, out var resolved))
            {
                throw new InvalidOperationException("The engine returned no document for " + source.Document.Path + ".");
            }

            if (resolved.Tokens.Count == 0 && string.Equals(resolved.Text, source.Document.Text, StringComparison.Ordinal))
            {
                files.AddCopy(outputPaths[i], source.Document.Path);
            }
            else
            {
                files.AddText(outputPaths[i], resolved.Text, source.Encoding);
            }

            var item = new TaskItem(Files[i]);
            item.ItemSpec = EscapeItemSpec(outputPaths[i]);
            item.SetMetadata("SourceFile", EscapeItemSpec(source.Document.Path));
            item.SetMetadata("TokenCount", resolved.Tokens.Count.ToString(CultureInfo.InvariantCulture));
            resolvedItems.Add(item);
            foreach (var token in resolved.Tokens)
            {
                var tokenItem = new TaskItem(EscapeItemSpec(token.Text));
                tokenItem.SetMetadata("File", EscapeItemSpec(token.File));
                tokenItem.SetMetadata("Line", token.Line.ToString(CultureInfo.InvariantCulture));
                tokenItem.SetMetadata("Column", token.Column.ToString(CultureInfo.InvariantCulture));
                tokenItem.SetMetadata("Prefix", token.Prefix);
                tokenItems.Add(tokenItem);
            }
        }

        await files.CommitAsync(cancellationToken).ConfigureAwait(false);
        ResolvedFiles = [.. resolvedItems];
        Tokens = [.. tokenItems];
    }

    protected override RunSettings Settings() => base.Settings() with
    {
        Lax = Lax,
        StrictPrefixes = StrictPrefixes,
        InjectStructuredValues = InjectStructuredValues,
        MaxConcurrencyPerPrefix = MaxConcurrencyPerPrefix,
        LockFile = NullIfEmpty(LockFile),
        AutoMtls = AutoMtls,
        HandshakeTimeout = NullIfEmpty(HandshakeTimeout),
        CallTimeout = NullIfEmpty(CallTimeout),
        TrustedPluginRoots = (TrustedPluginRoots ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    private bool TryReadOptions(out EngineOptions engineOptions, out PluginHostOptions hostOptions)
    {
        var mapped = Settings().Map();
        engineOptions = mapped.Engine;
        hostOptions = mapped.Host;
        foreach (var problem in mapped.Diagnostics)
        {
            LogCoded(problem.Code, problem.Message, file: null, line: 0, column: 0);
        }

        if (!mapped.Succeeded)
        {
            return false;
        }

        var packaged = mapped.Host.PackagedPlugins;
        foreach (var plugin in packaged)
        {
            Log.LogMessage(MessageImportance.Normal, "plugin {0}: {1} ({2}).", plugin.Prefix, plugin.Origin, string.IsNullOrEmpty(plugin.Path) ? "no binary for this runtime" : plugin.Path);
        }

        foreach (var prefix in mapped.Locator.InstalledPrefixes().Where(p => !packaged.Any(k => string.Equals(k.Prefix, p, StringComparison.OrdinalIgnoreCase))))
        {
            // Where a folder-installed plugin was found, beside the package-delivered ones above (-v:n).
            Log.LogMessage(MessageImportance.Normal, "plugin {0}: {1}.", prefix.ToLowerInvariant(), mapped.Locator.Find(prefix).Origin);
        }

        return true;
    }

    private bool TryReadSources(out List<Source> sources)
    {
        sources = new List<Source>(Files.Length);
        var ok = true;
        foreach (var file in Files)
        {
            var path = Path.GetFullPath(file.ItemSpec);
            if (string.IsNullOrEmpty(file.GetMetadata("OutputPath")))
            {
                ok = ConfigurationError($"Item '{file.ItemSpec}' has no OutputPath metadata; the ConfigManager targets set it, so call the task through them.");
                continue;
            }

            if (!Enum.TryParse<DocumentFormat>(NullIfEmpty(file.GetMetadata("Format")) ?? nameof(DocumentFormat.Auto), ignoreCase: true, out var format))
            {
                ok = ConfigurationError($"Item '{file.ItemSpec}' has Format '{file.GetMetadata("Format")}'; use Json, Xml, Yaml, Text or leave it empty.");
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogCoded("CM4052", $"cannot read '{path}': {e.Message} Check the ConfigManagerFile items.", path, 0, 0);
                ok = false;
                continue;
            }

            try
            {
                // Core's one loader (BOM, strict decoding, format), as string-input and scan use it.
                var loaded = DocumentLoader.Load(bytes, path, format);
                sources.Add(new Source(loaded.Document, loaded.Encoding));
            }
            catch (ConfigManagerException invalid)
            {
                LogCoded(invalid.Code, invalid.Message, path, 0, 0);
                ok = false;
            }
        }

        return ok;
    }

    private void LogDiagnostic(Diagnostic diagnostic, SecretMask mask)
    {
        // The engine promises no values in messages; masking again costs nothing and guards the promise.
        var message = OneLine(mask.Redact(diagnostic.Message)) + PluginSuffix(diagnostic.PluginPath);
        if (diagnostic.Severity == DiagnosticSeverity.Error)
        {
            Log.LogError(Subcategory, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, message);
        }
        else
        {
            Log.LogWarning(Subcategory, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, message);
        }
    }

    private void LogCoded(string code, string message, string? file, int line, int column)
        => Log.LogError(Subcategory, code, null, file, line, column, 0, 0, OneLine(message));

    // MSBuild repeats the file(line,col): prefix on every line of a message; one line reads better and greps whole.
    private static string OneLine(string message)
        => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private bool ConfigurationError(string message)
    {
        LogCoded(SettingsErrorCodes.Invalid, message, file: null, line: 0, column: 0);
        return false;
    }

    private static string Redact(SharedPluginHost? shared, string text) => shared is null ? text : shared.Mask.Redact(text);

    private static string PluginSuffix(string? pluginPath)
        => string.IsNullOrEmpty(pluginPath) ? string.Empty : $" (plugin: {pluginPath})";

    // Item specs and metadata are MSBuild-escaped; a token name may contain ; % $ @ ' ( ) * ?.
    private static string EscapeItemSpec(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '%' or ';' or '$' or '@' or '\'' or '(' or ')' or '*' or '?')
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private sealed record Source(SourceDocument Document, Encoding Encoding);
}
