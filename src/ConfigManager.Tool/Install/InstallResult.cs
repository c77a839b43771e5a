using ConfigManager.Core.Diagnostics;

namespace ConfigManager.Tool.Install;

/// <summary>What <see cref="PluginInstaller"/> did: the plugins installed (and pinned), and coded errors for the rest.</summary>
public sealed record InstallResult(IReadOnlyList<InstalledPlugin> Installed, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
