using System.Security.Cryptography;
using System.Text.Json;

namespace ConfigManager.TestSupport.LocalServers.Gcp;

/// <summary>
/// A test service account: a fresh RSA key pair whose public half the <see cref="SecretManagerServer"/>'s token endpoint
/// verifies assertions against, and a key file in Google's format (for GOOGLE_APPLICATION_CREDENTIALS) whose token_uri
/// points at that endpoint. Dispose deletes the file and the key.
/// </summary>
public sealed class GcpServiceAccount : IDisposable
{
    private readonly string _directory;

    private GcpServiceAccount(string email, RSA key, string directory, string keyFile)
    {
        Email = email;
        Key = key;
        _directory = directory;
        KeyFile = keyFile;
    }

    /// <summary>client_email.</summary>
    public string Email { get; }

    /// <summary>private_key_id, as the JWT header's kid carries it.</summary>
    public string KeyId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>The key pair (the server keeps only the public half).</summary>
    public RSA Key { get; }

    /// <summary>The key file (mode 600).</summary>
    public string KeyFile { get; }

    /// <summary>Creates the account and writes its key file with <paramref name="tokenUri"/> as token_uri.</summary>
    public static GcpServiceAccount Create(string email, Uri tokenUri)
    {
        var directory = Directory.CreateTempSubdirectory("cm-gcp-sa-").FullName;
        var file = Path.Combine(directory, "sa.json");
        var account = new GcpServiceAccount(email, RSA.Create(2048), directory, file);
        var json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "test-project",
            ["private_key_id"] = account.KeyId,
            ["private_key"] = account.Key.ExportPkcs8PrivateKeyPem() + "\n",
            ["client_email"] = email,
            ["client_id"] = "1234567890",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = tokenUri.ToString(),
        });
        File.WriteAllText(file, json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return account;
    }

    public void Dispose()
    {
        Key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
