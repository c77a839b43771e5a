namespace ConfigManager.TestSupport;

/// <summary>How a <see cref="ChildProcess"/> run ended and everything it wrote.</summary>
public sealed record ChildProcessResult(int Code, string Stdout, string Stderr);
