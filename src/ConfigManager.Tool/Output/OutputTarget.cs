namespace ConfigManager.Tool.Output;

/// <summary>Where a command's result goes: a file path, or standard output for the special value <c>stdout</c>.</summary>
public sealed record OutputTarget(string? FilePath)
{
    /// <summary>configmanager's spelling of "write to standard output".</summary>
    public const string StdoutKeyword = "stdout";

    public bool IsStdout => FilePath is null;

    public static OutputTarget Parse(string value)
        => string.Equals(value, StdoutKeyword, StringComparison.Ordinal) ? new OutputTarget((string?)null) : new OutputTarget(Path.GetFullPath(value));
}
