namespace ConfigManager.Tool.Install;

/// <summary>Bytes of one plugin copied or downloaded so far; <see cref="TotalBytes"/> is null when the server did not say.</summary>
public sealed record InstallProgress(string Prefix, string Source, long BytesDone, long? TotalBytes, bool Completed);
