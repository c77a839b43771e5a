namespace ConfigManager.Core.Plugins;

/// <summary>
/// Stable codes of the plugin host (CM2001–CM2099). docs/plugins.md says what each means and what to do.
/// </summary>
public static class PluginErrorCodes
{
    /// <summary>No plugin binary at any searched path.</summary>
    public const string NotFound = "CM2001";

    /// <summary>The plugin file exists but cannot be executed.</summary>
    public const string NotExecutable = "CM2002";

    /// <summary>The lock file cannot be read or is not valid.</summary>
    public const string LockFileInvalid = "CM2003";

    /// <summary>The plugin's SHA-256 differs from the lock file.</summary>
    public const string ChecksumMismatch = "CM2004";

    /// <summary>A lock file exists but does not pin this plugin.</summary>
    public const string NotPinned = "CM2005";

    /// <summary>A plugin package is referenced but has no binary for the runtime the build runs on (its RIDs are listed).</summary>
    public const string PackageLacksRuntime = "CM2006";

    /// <summary>A string shaped like a token (<c>UPPER://</c>) whose prefix has no plugin and is not known (warning; error when strict).</summary>
    public const string UnknownPrefix = "CM2050";

    /// <summary>The operating system refused to start the plugin process.</summary>
    public const string StartFailed = "CM2010";

    /// <summary>The plugin exited before printing its handshake (e.g. magic cookie refused).</summary>
    public const string ExitedBeforeHandshake = "CM2011";

    /// <summary>No handshake line within the handshake timeout.</summary>
    public const string HandshakeTimeout = "CM2012";

    /// <summary>The first stdout line is not a go-plugin handshake (banner, blank line, too few fields).</summary>
    public const string HandshakeUnrecognized = "CM2013";

    /// <summary>Core protocol version is not 1.</summary>
    public const string CoreVersionMismatch = "CM2014";

    /// <summary>App protocol version is not one the host speaks.</summary>
    public const string AppVersionMismatch = "CM2015";

    /// <summary>Network is neither unix nor tcp.</summary>
    public const string UnknownNetwork = "CM2016";

    /// <summary>Protocol is not grpc (e.g. netrpc).</summary>
    public const string UnsupportedProtocol = "CM2017";

    /// <summary>The server certificate in the handshake cannot be decoded.</summary>
    public const string BadServerCertificate = "CM2018";

    /// <summary>The gRPC connection could not be established (includes a refused client certificate).</summary>
    public const string ConnectFailed = "CM2020";

    /// <summary>The plugin presented a TLS certificate other than the one in its handshake.</summary>
    public const string CertificatePinMismatch = "CM2021";

    /// <summary>The plugin answered the call with an error.</summary>
    public const string PluginError = "CM2030";

    /// <summary>The call took longer than the per-call timeout.</summary>
    public const string CallTimeout = "CM2031";

    /// <summary>The plugin process exited while (or before) answering.</summary>
    public const string PluginCrashed = "CM2032";

    /// <summary>The call failed at the transport level.</summary>
    public const string CallFailed = "CM2033";

    /// <summary>The value is larger than <see cref="GoPlugin.PluginHostOptions.MaxValueBytes"/>.</summary>
    public const string ValueTooLarge = "CM2034";

    /// <summary>The host was already disposed.</summary>
    public const string HostDisposed = "CM2040";

    /// <summary>Trusted plugin roots are set and the plugin's real path is outside all of them; it was not started.</summary>
    public const string OutsideTrustedRoots = TrustedPluginRoots.OutsideCode;
}
