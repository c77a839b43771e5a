using System.Runtime.InteropServices;

namespace ConfigManager.Tool;

/// <summary>
/// Keeps <c>retrieve</c> and <c>string-input</c> from loading the system's CA certificates, which they never use.
/// </summary>
/// <remarks>
/// <para>
/// Those commands make TLS connections only to plugins under AutoMTLS, and a plugin's certificate is pinned by its
/// exact bytes (the host's <c>CertificatePin</c>), so no CA takes part in the decision. Yet on Linux .NET builds an
/// X509 chain for the client certificate and for the plugin's, and the first chain build of a process loads the whole
/// system store (<c>/etc/ssl/certs</c>: ≈ 50 ms, more than the rest of a one-token run) whatever trust mode the chain
/// policy names. The only switch is the native environment OpenSSL's store lookup reads with <c>getenv</c>:
/// <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>. Pointing both at <c>/dev/null</c> (an empty file, no directory)
/// makes that load empty; the pin still decides, and a plugin presenting any other certificate is still refused.
/// </para>
/// <para>
/// Process-wide, so only the tool does it, never the MSBuild task (an MSBuild node also restores over TLS), and only
/// for the commands that talk to plugins alone (<c>init</c> downloads over TLS and keeps the system store).
/// Plugins must keep the user's values (store plugins verify their cloud endpoints with the system store): the
/// managed environment block, from which <see cref="System.Diagnostics.Process"/> builds a child's environment, is
/// snapshotted first, and only the native variables change afterwards.
/// Called before any other thread of ours exists and before any certificate is touched.
/// </para>
/// </remarks>
internal static partial class SystemTrustStore
{
    private const string Empty = "/dev/null";

    /// <summary>True once <see cref="SkipForPinnedPluginsOnly"/> has changed the native environment.</summary>
    public static bool Skipped { get; private set; }

    /// <summary>Makes this process's first chain build load no system certificates (Linux; elsewhere a no-op).</summary>
    public static void SkipForPinnedPluginsOnly()
    {
        if (!OperatingSystem.IsLinux() || Skipped
            || Environment.GetEnvironmentVariable("CONFIGMANAGER_KEEP_SYSTEM_TRUST_STORE") == "1")
        {
            return;
        }

        // Snapshot the managed block now: until it exists, .NET reads variables with getenv, and the first
        // enumeration (a child's environment) would copy our /dev/null values into every plugin.
        _ = Environment.GetEnvironmentVariables();
        if (SetEnv("SSL_CERT_FILE", Empty, 1) != 0 || SetEnv("SSL_CERT_DIR", Empty, 1) != 0)
        {
            // Out of memory for the environment: nothing changed that matters, the store just loads as before.
            return;
        }

        Skipped = true;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
