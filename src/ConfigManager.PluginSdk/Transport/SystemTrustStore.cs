using System.Runtime.InteropServices;

namespace ConfigManager.PluginSdk.Transport;

/// <summary>
/// <see cref="PluginServerOptions.SkipSystemTrustStore"/>: on Linux, .NET's first X509 chain build loads every
/// certificate under /etc/ssl/certs (≈ 50 ms), even for AutoMTLS, whose peer is pinned by exact bytes. Pointing
/// OpenSSL's SSL_CERT_FILE and SSL_CERT_DIR at an empty private folder, in the native environment and before
/// any crypto runs, makes that load find nothing.
/// </summary>
internal static partial class SystemTrustStore
{
    /// <summary>Points this process's OpenSSL at an empty folder; returns that folder (to delete at exit), or null off Linux.</summary>
    public static string? Skip()
    {
        if (!OperatingSystem.IsLinux())
        {
            // macOS and Windows validate with the platform's own store, not OpenSSL's files.
            return null;
        }

        string empty;
        try
        {
            // 0700 and ours alone: nothing can be planted in it.
            empty = Directory.CreateTempSubdirectory("cmplugin-nocerts-").FullName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PluginStartException("CM2104", "cannot create the empty certificate folder for SkipSystemTrustStore: " + ex.Message);
        }

        SetNative("SSL_CERT_DIR", empty);
        SetNative("SSL_CERT_FILE", Path.Combine(empty, "none.pem"));
        return empty;
    }

    // Environment.SetEnvironmentVariable changes .NET's own copy only; OpenSSL calls libc getenv.
    private static void SetNative(string name, string value)
    {
        if (SetEnv(name, value, overwrite: 1) != 0)
        {
            throw new PluginStartException("CM2104", $"cannot set {name} for the plugin's TLS: errno {Marshal.GetLastPInvokeError()}");
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    [LibraryImport("libc", EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
