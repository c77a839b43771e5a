namespace ConfigManager.Core.Logging;

/// <summary>
/// Knows every secret value of a run (and its escaped forms) and masks them in any text.
/// Thread-safe; shared by the engine, the plugin host and the front ends.
/// </summary>
public sealed class SecretMask
{
    public void Add(string value) => throw new NotImplementedException();

    public string Redact(string text) => throw new NotImplementedException();
}
