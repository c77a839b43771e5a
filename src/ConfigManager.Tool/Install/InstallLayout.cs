using ConfigManager.Core.Plugins;

namespace ConfigManager.Tool.Install;

/// <summary>
/// Where <c>init</c> puts plugins: the first search root of the <see cref="PluginLocator"/> (explicit directory,
/// else <c>$CONFIGMANAGER_DIR</c>, else the working directory), as
/// <c>{root}/.configmanager/plugins/{prefix}/{prefix}-{goos}-{goarch}</c>, with the lock file beside the plugins.
/// </summary>
public sealed class InstallLayout(PluginLocator locator)
{
    public PluginLocator Locator { get; } = locator;

    /// <summary>Where <c>init</c> installs: the first search root.</summary>
    public string InstallRoot => Locator.InstallRoot;

    /// <summary>The lock file of the install root.</summary>
    public string LockFilePath => Path.Combine(InstallRoot, PluginLockFile.DefaultRelativePath);

    /// <summary>The plugin path for <paramref name="prefix"/> under the install root, named for this platform.</summary>
    public string PluginPath(string prefix)
        => PluginLocator.LayoutPath(InstallRoot, prefix);
}
