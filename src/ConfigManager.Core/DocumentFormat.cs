namespace ConfigManager.Core;

/// <summary>Decides how a value is escaped where it is substituted.</summary>
public enum DocumentFormat
{
    /// <summary>Chosen from the file extension (.json, .xml/.config, .yaml/.yml, anything else text).</summary>
    Auto,
    Json,
    Xml,
    Yaml,
    Text,
}
