namespace ConfigManager.Core.Diagnostics;

/// <summary>
/// A failure with a stable code. The message must never contain a secret value.
/// </summary>
public class ConfigManagerException : Exception
{
    public ConfigManagerException(string code, string message, string? pluginPath = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        PluginPath = pluginPath;
    }

    public string Code { get; }

    public string? PluginPath { get; }
}
