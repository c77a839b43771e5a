namespace ConfigManager.Core.Substitution;

/// <summary>Stable CM4xxx codes for outputs the engine refuses to produce.</summary>
public static class OutputErrorCodes
{
    /// <summary>A .json document no longer parses after substitution.</summary>
    public const string JsonInvalidAfterSubstitution = "CM4001";

    /// <summary>A value holds a character XML 1.0 cannot represent (most control characters).</summary>
    public const string ValueNotRepresentableInXml = "CM4002";

    /// <summary>A value cannot be written at its YAML position (e.g. a line break in a folded block or comment).</summary>
    public const string ValueNotRepresentableInYaml = "CM4003";

    /// <summary>A token sits where XML has its own rules (inside a DOCTYPE; a processing instruction with "?>" in the value).</summary>
    public const string ValueNotSubstitutableAtXmlPosition = "CM4105";
}
