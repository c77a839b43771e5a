namespace ConfigManager.Core.Resolution;

/// <summary>What one token resolved to: its value, or the coded reason it has none (and the plugin that said so).</summary>
public sealed record TokenOutcome(string? Value, string Code, string Problem, string? PluginPath);
