using ConfigManager.Core.Output;

namespace ConfigManager.Tool.Output;

/// <summary>Stable codes the command line reports (range CM4100–CM4149 and CM5050–CM5099); the file codes are Core's.</summary>
public static class ToolErrorCodes
{
    /// <summary>An output file could not be written; the target was left as it was.</summary>
    public const string WriteFailed = FileErrorCodes.WriteFailed;

    /// <summary>An input file could not be read.</summary>
    public const string InputUnreadable = FileErrorCodes.InputUnreadable;

    /// <summary>An unknown <c>--format</c> name.</summary>
    public const string UnknownFormat = "CM4102";

    /// <summary>The output path exists and is not a regular file (device, FIFO, socket, directory); it was left alone.</summary>
    public const string NotRegularFile = FileErrorCodes.NotRegularFile;

    /// <summary>An input's bytes are not valid text in the encoding its BOM names (UTF-8 without one); nothing was written.</summary>
    public const string InvalidText = Core.Documents.DocumentLoader.InvalidTextCode;

    /// <summary>The command line itself is wrong (unknown option, missing value, ...).</summary>
    public const string Usage = "CM5050";

    /// <summary>A plugin named for <c>init</c> was not found at the source.</summary>
    public const string InstallSourceMissing = "CM5051";

    /// <summary>A plugin download failed (HTTP status, network, or I/O).</summary>
    public const string DownloadFailed = "CM5052";

    /// <summary>A plugin's SHA-256 differs from the checksum published beside it.</summary>
    public const string ChecksumMismatch = "CM5053";

    /// <summary><c>init</c>: the plugin's SHA-256 differs from the one pinned in the lock file (the host reports CM2004 at launch).</summary>
    public const string LockMismatch = "CM5054";

    /// <summary>The run was cancelled (Ctrl+C, SIGTERM).</summary>
    public const string Cancelled = "CM5057";

    /// <summary>An unexpected failure inside the tool (a bug).</summary>
    public const string Internal = "CM5099";

    /// <summary><c>init</c> was given no <c>--source</c> and the plugin is not installed yet.</summary>
    public const string NoInstallSource = "CM5058";

    /// <summary>An http(s) download with no checksum to check it against (no .sha256 beside it, no --sha256).</summary>
    public const string ChecksumRequired = "CM5060";

    /// <summary>A download answered with an HTML page instead of a binary.</summary>
    public const string NotABinary = "CM5061";
}
