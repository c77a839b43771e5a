namespace ConfigManager.Plugins.Vault;

/// <summary>A VAULT plugin failure with its CM231x code as the message's first word (the host shows the message as is).</summary>
internal sealed class VaultException(string code, string message, Exception? innerException = null) : Exception($"{code}: {message}", innerException)
{
    public string Code { get; } = code;
}
