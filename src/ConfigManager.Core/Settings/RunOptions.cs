using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Plugins;

namespace ConfigManager.Core.Settings;

/// <summary>What <see cref="RunSettings.Map"/> makes of the raw settings: when <see cref="Diagnostics"/> is not empty, nothing may run.</summary>
/// <param name="Engine">How tokens are recognised and resolved (installed plugins' prefixes included).</param>
/// <param name="Host">How plugins are found, verified and launched.</param>
/// <param name="Locator">The plugin search of <paramref name="Host"/> (what <c>init</c> installs into and <c>plugins</c> reports).</param>
/// <param name="Diagnostics">One CM5002 error per refused setting.</param>
public sealed record RunOptions(EngineOptions Engine, PluginHostOptions Host, PluginLocator Locator, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Diagnostics.Count == 0;
}
