namespace ConfigManager.PluginSdk;

/// <summary>The plugin cannot start serving (bad launch environment, no socket); carries a CM21xx code.</summary>
public sealed class PluginStartException : Exception
{
    /// <summary>A start failure with its stable code.</summary>
    /// <param name="code">The CM21xx code.</param>
    /// <param name="message">What went wrong and what to do next.</param>
    public PluginStartException(string code, string message)
        : base($"{code}: {message}") => Code = code;

    /// <summary>The stable error code, CM2100–CM2149.</summary>
    public string Code { get; }
}
