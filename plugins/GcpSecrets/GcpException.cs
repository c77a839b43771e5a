namespace ConfigManager.Plugins.GcpSecrets;

/// <summary>A GCPSECRETS plugin failure with its CM232x code as the message's first word (the host shows it as is).</summary>
internal sealed class GcpException(string code, string message, Exception? innerException = null) : Exception($"{code}: {message}", innerException)
{
    public string Code { get; } = code;
}
