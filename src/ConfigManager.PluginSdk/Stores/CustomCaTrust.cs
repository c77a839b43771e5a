using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ConfigManager.PluginSdk.Stores;

/// <summary>
/// Trust for a store's HTTPS connections that replaces the system store by exactly the CA certificates of the PEM files
/// a user names (VAULT_CACERT, AWS_CA_BUNDLE, a profile's <c>ca_bundle</c>...): private CAs and TLS-inspecting proxies.
/// The server's chain must end at one of them (<see cref="X509ChainTrustMode.CustomRootTrust"/>); the host name is
/// still checked; revocation is not (private CAs rarely publish revocation lists a build machine can reach).
/// </summary>
public sealed class CustomCaTrust
{
    private readonly X509Certificate2Collection _roots;

    private CustomCaTrust(X509Certificate2Collection roots, IReadOnlyList<string> files)
    {
        _roots = roots;
        Files = files;
    }

    /// <summary>How many CA certificates are trusted.</summary>
    public int Count => _roots.Count;

    /// <summary>The PEM files the certificates came from, in the order given (for messages).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Reads every <c>CERTIFICATE</c> block of <paramref name="pemFiles"/> (other blocks, such as keys, are skipped).</summary>
    /// <param name="pemFiles">One or more PEM files; a bundle may hold many certificates.</param>
    /// <exception cref="IOException">A file is missing or cannot be read (its message names the file).</exception>
    /// <exception cref="UnauthorizedAccessException">A file may not be read.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A <c>CERTIFICATE</c> block is not a certificate.</exception>
    /// <exception cref="InvalidDataException">The files hold no certificate at all (empty, or not PEM).</exception>
    public static CustomCaTrust FromPemFiles(IEnumerable<string> pemFiles)
    {
        ArgumentNullException.ThrowIfNull(pemFiles);
        var files = pemFiles.ToList();
        var roots = new X509Certificate2Collection();
        foreach (var file in files)
        {
            // ImportFromPemFile reads the whole file; a directory or a missing file throws IOException naming it.
            roots.ImportFromPemFile(file);
        }

        if (roots.Count == 0)
        {
            throw new InvalidDataException($"{string.Join(", ", files)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        return new CustomCaTrust(roots, files);
    }

    /// <summary>A new chain policy that trusts exactly these certificates (what <see cref="Apply"/> installs).</summary>
    public X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(_roots);
        return policy;
    }

    /// <summary>
    /// Makes <paramref name="handler"/> trust exactly these certificates: TLS validates the server's chain (with the
    /// intermediates it sends) against them instead of the system store, and checks the host name as usual.
    /// </summary>
    /// <returns>The same handler.</returns>
    public SocketsHttpHandler Apply(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.SslOptions ??= new SslClientAuthenticationOptions();
        handler.SslOptions.CertificateChainPolicy = ChainPolicy();
        return handler;
    }
}
