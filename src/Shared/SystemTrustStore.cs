using System.Runtime.InteropServices;

namespace ConfigManager.Shared;

/// <summary>
/// Keeps a process whose only TLS peers are pinned go-plugin peers from loading the system's CA certificates.
/// Compiled into the tool (<c>retrieve</c>, <c>string-input</c>) and the plugin SDK
/// (<c>PluginServerOptions.SkipSystemTrustStore</c>), so both sides do it the same way.
/// </summary>
/// <remarks>
/// <para>
/// Under AutoMTLS each side's certificate is pinned by its exact bytes, so no CA takes part in the decision. Yet on
/// Linux .NET builds an X509 chain for its own certificate and for the peer's, and the first chain build of a process
/// loads the whole system store (<c>/etc/ssl/certs</c>: ≈ 50 ms, more than the rest of a one-token run) whatever trust
/// mode the chain policy names. The only switch is the native environment that OpenSSL's store lookup reads with
/// <c>getenv</c>: <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>. Pointing both at <c>/dev/null</c> (an empty file, and
/// no directory) makes that load find nothing and leaves no file behind; the pin still decides.
/// </para>
/// <para>
/// Process-wide: any other TLS client in the process would trust no CA at all, so callers use it only where none
/// exists (never in an MSBuild node, never in a store plugin). The managed environment block is snapshotted first and
/// only the native variables change: <see cref="Environment.GetEnvironmentVariable(string)"/> (e.g. the ENV plugin
/// resolving <c>ENV://SSL_CERT_FILE</c>) and every child process (<see cref="System.Diagnostics.Process"/> builds a
/// child's environment from that block: a plugin, or what a plugin starts) keep the user's values.
/// Call it before any certificate is touched and before the process starts threads of its own.
/// </para>
/// </remarks>
internal static partial class SystemTrustStore
{
    private const string Nothing = "/dev/null";

    private static bool s_skipped;

    /// <summary>Makes this process's first chain build load no system certificates (Linux; elsewhere a no-op).</summary>
    public static void SkipInThisProcess()
    {
        if (!OperatingSystem.IsLinux() || s_skipped)
        {
            // macOS and Windows validate with the platform's own store, not OpenSSL's files.
            return;
        }

        // Until the managed block exists, .NET reads variables with getenv, and its first enumeration (a child's
        // environment) would copy the /dev/null values into every child.
        _ = Environment.GetEnvironmentVariables();

        // A setenv that fails (no memory for the environment) leaves that variable as it was: the store loads as before.
        _ = SetEnv("SSL_CERT_FILE", Nothing, 1);
        _ = SetEnv("SSL_CERT_DIR", Nothing, 1);
        s_skipped = true;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
