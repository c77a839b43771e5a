using System.Collections.Concurrent;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ConfigManager.Core;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Resolution;
using ConfigManager.Core.Substitution;
using ConfigManager.Core.Tokens;

namespace ConfigManager.Benchmarks;

/// <summary>Engine throughput on a generated ~10 MB appsettings-like JSON: scan only, scan + substitute (JSON-aware
/// escaping, exactly as the engine runs it), the whole in-process ResolveAsync, and for scale the cost of
/// re-parsing the output (done only when a value lands outside a JSON string) and a per-character map lookup.</summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class EngineThroughputBenchmarks
{
    private const int TargetChars = 10_000_000;

    private static readonly ConcurrentDictionary<string, string> s_documents = new();

    private readonly TokenGrammar _grammar = TokenGrammar.Create(new EngineOptions());
    private string _text = "";
    private IReadOnlyList<ConfigToken> _tokens = [];
    private List<Replacement> _replacements = [];

    /// <summary>sparse: one section in 200 has a password token (~50 tokens per 10 MB); dense: every string value is a token.</summary>
    [Params("sparse", "dense")]
    public string Density { get; set; } = "sparse";

    public static string Document(string density)
        => s_documents.GetOrAdd(density, d => AppSettingsGenerator.Generate(TargetChars, d == "dense" ? 1 : 200));

    public static long InputBytes(string density) => Encoding.UTF8.GetByteCount(Document(density));

    [GlobalSetup]
    public void Setup()
    {
        _text = Document(Density);
        _tokens = TokenScanner.Scan(_text, "appsettings.json", _grammar).Tokens;
        _replacements = _tokens.Select(t => new Replacement(t, "value-for-" + t.StorePath)).ToList();
        Console.WriteLine($"// {Density}: {InputBytes(Density):N0} bytes, {_tokens.Count:N0} tokens");
    }

    [Benchmark(Baseline = true)]
    public int Scan() => TokenScanner.Scan(_text, "appsettings.json", _grammar).Tokens.Count;

    [Benchmark]
    public int ScanAndSubstitute()
    {
        var tokens = TokenScanner.Scan(_text, "appsettings.json", _grammar).Tokens;
        var replacements = new List<Replacement>(tokens.Count);
        foreach (var token in tokens)
        {
            replacements.Add(new Replacement(token, "value-for-" + token.StorePath));
        }

        return DocumentSubstitution.Apply(_text, "appsettings.json", DocumentFormat.Json, replacements, false, new List<Diagnostic>()).Length;
    }

    [Benchmark]
    public int SubstituteWithoutJsonCheck()
        => DocumentSubstitution.Apply(_text, "appsettings.txt", DocumentFormat.Text, _replacements, false, new List<Diagnostic>()).Length;

    [Benchmark]
    public async Task<int> ResolveAsyncInProcess()
    {
        var result = await TokenEngine.ResolveAsync(
            [new SourceDocument("appsettings.json", _text)], new EngineOptions(), new EchoSource(), NullSink.Instance, new SecretMask(), CancellationToken.None);
        return result.Documents[0].Text.Length;
    }

    /// <summary>What the CM4001 re-parse costs when it runs (a value was written outside a string literal).</summary>
    [Benchmark]
    public int ReparseJsonOutput()
    {
        using var document = System.Text.Json.JsonDocument.Parse(_text, new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
        return (int)document.RootElement.ValueKind;
    }

    /// <summary>A model in C# of a per-character map lookup (what configmanager's Go lexer does per byte), for scale only.</summary>
    [Benchmark]
    public int PerCharacterMapLookupModel()
    {
        var stops = s_perCharacterStops;
        var hits = 0;
        foreach (var c in _text)
        {
            if (stops.Contains(c.ToString()))
            {
                hits++;
            }
        }

        return hits;
    }

    private static readonly HashSet<string> s_perCharacterStops = [" ", "\n", "\r", "\t", "=", ".", ",", "|", "?", "/", "@", ":", "]", "[", "'", "\"", "A", "V", "G"];

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn());
    }

    private sealed class EchoSource : IValueSource
    {
        public Task<string> GetValueAsync(ValueRequest request, CancellationToken cancellationToken)
            => Task.FromResult("""{"password":"p@ss","logLevel":"Debug","endpoint":"cache:6379"}""");
    }

    private sealed class NullSink : ILogSink
    {
        public static readonly NullSink Instance = new();

        public void Log(LogLevel level, string message)
        {
        }
    }
}
