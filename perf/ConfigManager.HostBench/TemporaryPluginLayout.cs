using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Plugins;

namespace ConfigManager.HostBench;

/// <summary>A temp <c>.configmanager/plugins/bench/bench-&lt;os&gt;-&lt;arch&gt;</c> symlink so PluginHost finds the plugin given by path.</summary>
internal sealed class TemporaryPluginLayout : IDisposable
{
    public const string Prefix = "BENCH";

    private TemporaryPluginLayout(string root) => Root = root;

    public string Root { get; }

    public static TemporaryPluginLayout Create(string pluginPath)
    {
        var root = Path.Combine(Path.GetTempPath(), "hostbench-" + Guid.NewGuid().ToString("N")[..8]);
        var folder = Path.Combine(root, ".configmanager", "plugins", Prefix.ToLowerInvariant());
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(Path.Combine(folder, GoPlatform.PluginFileName(Prefix)), pluginPath);
        return new TemporaryPluginLayout(root);
    }

    public PluginHost NewHost(bool mtls) => new(
        new PluginHostOptions { PluginDirectory = Root, WorkingDirectory = Root, HomeDirectory = Root, AutoMtls = mtls },
        new StderrLogSink(),
        new SecretMask());

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private sealed class StderrLogSink : ILogSink
    {
        public void Log(LogLevel level, string message)
        {
            if (level >= LogLevel.Warn)
            {
                Console.Error.WriteLine($"[{level}] {message}");
            }
        }
    }
}
