using System.Security.Cryptography;
using System.Text;
using ConfigManager.Core;
using ConfigManager.Core.Documents;
using ConfigManager.Core.Output;
using ConfigManager.Core.Plugins;
using ConfigManager.Core.Tokens;
using ConfigManager.Tasks.Plugins;
using Microsoft.Build.Framework;

namespace ConfigManager.Tasks;

/// <summary>
/// Writes the resolve target's input stamp, and only when its content changes (so its time stamp moves only then):
/// the ConfigManager properties, every plugin the build could run (prefix, path, SHA-256, or "missing"), and for each
/// ENV token (and ${VAR} when EnvSubst is on) an HMAC-SHA-256 of the variable's value keyed with a per-project salt.
/// Values never leave this task: not stored, not logged, not in any item or property. Starts no plugin.
/// </summary>
public sealed partial class WriteResolveInputStamp : SettingsTask
{
    /// <summary>The selected source files (the resolve target's other inputs).</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Name=value lines of the ConfigManager properties (settings, never values from a store).</summary>
    public string[] OptionLines { get; set; } = [];

    [Required]
    public string StampFile { get; set; } = string.Empty;

    public override bool Execute()
    {
        // Invalid settings: the resolve task reports them; the option lines already differ.
        var mapped = Settings().Map();
        var locator = mapped.Locator;
        var installed = mapped.Succeeded ? locator.InstalledPrefixes() : [];
        var tokens = mapped.Succeeded ? ScanTokens(mapped.Engine) : [];
        var lines = new List<string> { "# ConfigManager resolve inputs. Hashes only: no value is stored here." };
        lines.AddRange(OptionLines.Select(o => "option " + o));
        foreach (var prefix in installed.Concat(tokens.Select(t => t.Prefix)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            lines.Add("plugin " + prefix + " " + PluginLine(locator.Find(prefix)));
        }

        // ENV:///NAME and ENV://NAME name the same variable (plugins/Env).
        var variables = tokens.Where(t => t.Prefix == "ENV").Select(t => t.StorePath.TrimStart('/')).Concat(EnvSubst ? SubstitutedNames() : []);
        var names = variables.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names.Length > 0)
        {
            var salt = ReadOrCreateSalt(StampFile + ".salt");
            foreach (var name in names)
            {
                var value = Environment.GetEnvironmentVariable(name);
                var hash = value is null ? "unset" : Convert.ToHexString(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(value))).ToLowerInvariant();
                lines.Add("env " + name + " " + hash);
            }
        }

        var text = string.Join("\n", lines) + "\n";
        if (File.Exists(StampFile) && string.Equals(File.ReadAllText(StampFile), text, StringComparison.Ordinal))
        {
            return true;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(StampFile))!);
        AtomicFile.WriteTextAsync(StampFile, text, UnixFileMode.UserRead | UnixFileMode.UserWrite, CancellationToken.None).GetAwaiter().GetResult();
        Log.LogMessage(MessageImportance.Low, "ConfigManager: resolve inputs changed; stamp {0} rewritten.", StampFile);
        return true;
    }

    private static string PluginLine(PluginLocation location)
    {
        if (location.Path is null || !File.Exists(location.Path))
        {
            return "missing";
        }

        try
        {
            return location.Path + " " + PluginBinaryHash.Of(location.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable now; the resolve task reports it if it is used. Still a distinct input.
            return location.Path + " unreadable";
        }
    }

    private List<ConfigToken> ScanTokens(EngineOptions options)
    {
        // The engine's own scan (grammar, envsubst, format), so the stamp sees the tokens the resolve will see.
        return [.. TokenEngine.Scan(ReadSources().Select(s => new SourceDocument(s.Path, s.Text)).ToArray(), options).Tokens];
    }

    private IEnumerable<string> SubstitutedNames()
        => ReadSources().SelectMany(s => EnvReference().Matches(s.Text).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value));

    private IEnumerable<(string Path, string Text)> ReadSources()
    {
        foreach (var file in Files)
        {
            var path = Path.GetFullPath(file.ItemSpec);
            if (DocumentLoader.TryReadText(path) is not { } text)
            {
                continue;
            }

            yield return (path, text);
        }
    }

    private static byte[] ReadOrCreateSalt(string path)
    {
        if (File.Exists(path) && File.ReadAllBytes(path) is { Length: 32 } existing)
        {
            return existing;
        }

        var salt = RandomNumberGenerator.GetBytes(32);
        AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(salt, ct).AsTask(), UnixFileMode.UserRead | UnixFileMode.UserWrite, CancellationToken.None).GetAwaiter().GetResult();
        return salt;
    }

    // $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, as EnvironmentSubstitution reads them (a $$ escape may add a name: harmless).
    [System.Text.RegularExpressions.GeneratedRegex(@"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")]
    private static partial System.Text.RegularExpressions.Regex EnvReference();
}
