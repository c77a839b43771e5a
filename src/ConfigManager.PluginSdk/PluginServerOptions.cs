namespace ConfigManager.PluginSdk;

/// <summary>How <see cref="PluginServer"/> serves a plugin; the defaults are what configmanager's host expects.</summary>
public sealed record PluginServerOptions
{
    /// <summary>The name written as <c>@module</c> in the plugin's hclog lines (e.g. <c>env</c>).</summary>
    public string Name { get; init; } = "plugin";
}
