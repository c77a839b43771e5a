namespace ConfigManager.PluginSdk;

/// <summary>The plugin cannot start serving (bad launch environment, no socket); carries a CM21xx code.</summary>
public sealed class PluginStartException : Exception
{
    public PluginStartException(string code, string message)
        : base($"{code}: {message}") => Code = code;

    /// <summary>The stable error code, CM2100–CM2149.</summary>
    public string Code { get; }
}
