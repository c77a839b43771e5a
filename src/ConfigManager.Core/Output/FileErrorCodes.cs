namespace ConfigManager.Core.Output;

/// <summary>Stable codes for reading an input file and writing an output file (both front ends report them).</summary>
public static class FileErrorCodes
{
    /// <summary>An output file could not be written; the target was left as it was.</summary>
    public const string WriteFailed = "CM4100";

    /// <summary>An input file could not be read.</summary>
    public const string InputUnreadable = "CM4101";

    /// <summary>The output path exists and is not a regular file (device, FIFO, socket, directory); it was left alone.</summary>
    public const string NotRegularFile = "CM4103";
}
