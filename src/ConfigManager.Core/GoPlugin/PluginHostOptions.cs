using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.GoPlugin;

/// <summary>How plugins are found, verified and launched.</summary>
public sealed record PluginHostOptions
{
    /// <summary>Searched first, as <c>{dir}/.configmanager/plugins/...</c>; defaults to <c>$CONFIGMANAGER_DIR</c>.</summary>
    public string? PluginDirectory { get; init; }

    /// <summary>Working directory searched second; defaults to the process's current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Optional lock file (plugin → SHA-256); a mismatching binary is refused before launch.</summary>
    public string? LockFilePath { get; init; }

    /// <summary>go-plugin AutoMTLS (on by default).</summary>
    public bool AutoMtls { get; init; } = true;

    /// <summary>How long to wait for the handshake line.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Per-call timeout of <c>TokenStore.Value</c>.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Largest value accepted from a plugin, in bytes on the wire; null (default) means no limit beyond
    /// gRPC's 2 GiB, like go-plugin (which lifts the 4 MB default).
    /// </summary>
    public int? MaxValueBytes { get; init; }

    /// <summary>User home searched last; defaults to the current user's profile directory.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Opt-in: when not empty, only plugins whose real path is inside one of these folders run (else CM2041).</summary>
    public IReadOnlyList<string> TrustedPluginRoots { get; init; } = [];

    /// <summary>Plugins delivered by NuGet packages: used ahead of the search, verified by their recorded hash (no lock entry needed).</summary>
    public IReadOnlyList<PackagedPlugin> PackagedPlugins { get; init; } = [];

    /// <summary>The plugin search these options describe (the host's, and what the front ends report and install into).</summary>
    public PluginLocator CreateLocator()
        => new(PluginDirectory, WorkingDirectory ?? Environment.CurrentDirectory, HomeDirectory) { Packaged = PackagedPlugins, Trusted = new TrustedPluginRoots(TrustedPluginRoots) };
}
