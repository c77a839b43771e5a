namespace ConfigManager.Tool.Input;

/// <summary>Where a <see cref="StringInput"/>'s text came from.</summary>
public enum StringInputKind
{
    File,
    Stdin,
    Literal,
}
