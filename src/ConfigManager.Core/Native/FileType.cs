namespace ConfigManager.Core.Native;

/// <summary>What a path names once symbolic links are followed.</summary>
internal enum FileType
{
    /// <summary>Nothing there (or a dangling link).</summary>
    Missing,

    /// <summary>A regular file: safe to replace by rename.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A device, FIFO or socket: replacing it by rename would destroy it.</summary>
    Special,

    /// <summary>The platform cannot tell (not Linux); treated like a regular file.</summary>
    Unknown,
}
