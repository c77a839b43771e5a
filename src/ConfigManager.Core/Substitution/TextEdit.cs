namespace ConfigManager.Core.Substitution;

/// <summary>Replace <see cref="Length"/> characters at <see cref="Start"/> with <see cref="Text"/>.</summary>
internal readonly record struct TextEdit(int Start, int Length, string Text);
