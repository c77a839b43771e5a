namespace ConfigManager.Plugins.AwsShared;

/// <summary>A setting the plugin cannot use (endpoint URL, region): thrown while resolving, reported per token as CM22xx Misconfigured.</summary>
public sealed class AwsSettingException(string code, string description, string remedy) : Exception(description)
{
    /// <summary>The CM22xx code.</summary>
    public string Code { get; } = code;

    /// <summary>What happened, without the remedy.</summary>
    public string Description { get; } = description;

    /// <summary>What to do next.</summary>
    public string Remedy { get; } = remedy;
}
