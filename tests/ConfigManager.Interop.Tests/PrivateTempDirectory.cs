namespace ConfigManager.Interop.Tests;

/// <summary>Points TMPDIR (where go-plugin creates its socket) at a fresh folder for one test.</summary>
internal sealed class PrivateTempDirectory : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable("TMPDIR");

    public PrivateTempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cmtest-tmp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
        Environment.SetEnvironmentVariable("TMPDIR", Path);
    }

    public string Path { get; }

    /// <summary>Plugin sockets and the host's per-launch socket folders below <see cref="Path"/>.</summary>
    public string[] PluginLeftovers => Directory.GetFileSystemEntries(Path, "*", SearchOption.AllDirectories)
        .Select(System.IO.Path.GetFileName)
        .Where(name => name!.StartsWith("cmplugin-", StringComparison.Ordinal) || (name.StartsWith("plugin", StringComparison.Ordinal) && name.Length > 6 && char.IsAsciiDigit(name[6])))
        .Select(name => name!)
        .ToArray();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TMPDIR", _saved);
        Directory.Delete(Path, recursive: true);
    }
}
