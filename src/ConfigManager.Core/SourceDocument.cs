namespace ConfigManager.Core;

/// <summary>One input: its path (for diagnostics and format detection) and its full text.</summary>
public sealed record SourceDocument(string Path, string Text, DocumentFormat Format = DocumentFormat.Auto);
