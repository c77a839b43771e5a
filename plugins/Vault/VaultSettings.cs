namespace ConfigManager.Plugins.Vault;

/// <summary>
/// The Vault client settings, read from the variables the vault CLI and configmanager use. Holds credentials:
/// never log an instance or put it in an exception.
/// </summary>
internal sealed record VaultSettings
{
    public const string DefaultAddress = "https://127.0.0.1:8200";

    /// <summary>VAULT_ADDR, without a trailing '/'.</summary>
    public required Uri Address { get; init; }

    /// <summary>VAULT_TOKEN (unless it is configmanager's <c>aws_iam</c> marker, which selects AWS IAM login), else the contents of ~/.vault-token.</summary>
    public string? Token { get; init; }

    /// <summary>Where <see cref="Token"/> came from, for error text: "VAULT_TOKEN" or the token file's path.</summary>
    public string? TokenSource { get; init; }

    /// <summary>VAULT_NAMESPACE (Vault Enterprise / HCP), sent as X-Vault-Namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The login that yields the client token when no token is given: AppRole, Kubernetes or JWT.</summary>
    public VaultLogin? Login { get; init; }

    /// <summary>VAULT_KV_VERSION (1 or 2) forces the KV engine version for every mount; null = ask Vault per mount.</summary>
    public int? KvVersion { get; init; }

    /// <summary>VAULT_CACERT: a PEM file of CA certificates to trust instead of the system store.</summary>
    public string? CaCertFile { get; init; }

    /// <summary>VAULT_CAPATH: a directory of PEM CA certificates to trust instead of the system store.</summary>
    public string? CaCertDirectory { get; init; }

    /// <summary>VAULT_SKIP_VERIFY: do not verify the server certificate (test setups only).</summary>
    public bool SkipVerify { get; init; }

    /// <summary>Reads the settings from <paramref name="variable"/> (the process environment by default).</summary>
    public static VaultSettings FromEnvironment(Func<string, string?>? variable = null, string? homeDirectory = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => variable(name) is { Length: > 0 } value ? value.Trim() : null;

        var addressText = Read("VAULT_ADDR") ?? DefaultAddress;
        if (!Uri.TryCreate(addressText.TrimEnd('/'), UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new VaultException(VaultErrorCodes.BadSetting, $"VAULT_ADDR '{addressText}' is not an http:// or https:// URL: set it to your Vault server, e.g. https://vault.example.com:8200");
        }

        var token = Read("VAULT_TOKEN");
        string? tokenSource = token is null ? null : "VAULT_TOKEN";
        VaultLogin? login = null;
        if (token is not null && token.StartsWith("aws_iam", StringComparison.Ordinal))
        {
            // configmanager's marker: not a token, but "log in with AWS IAM".
            token = null;
            tokenSource = null;
            login = VaultLogin.AwsIamFromEnvironment(Read);
        }
        else if (token is null)
        {
            login = VaultLogin.FromEnvironment(Read);
        }

        if (token is null && login is null)
        {
            var home = homeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var tokenFile = Path.Combine(home, ".vault-token");
            if (home.Length > 0 && File.Exists(tokenFile) && File.ReadAllText(tokenFile).Trim() is { Length: > 0 } fileToken)
            {
                token = fileToken;
                tokenSource = tokenFile;
            }
        }

        int? kvVersion = Read("VAULT_KV_VERSION") switch
        {
            null => null,
            "1" => 1,
            "2" => 2,
            var other => throw new VaultException(VaultErrorCodes.BadSetting, $"VAULT_KV_VERSION '{other}' must be 1 or 2 (or unset, to ask Vault for each mount's version)"),
        };

        return new VaultSettings
        {
            Address = address,
            Token = token,
            TokenSource = tokenSource,
            Namespace = Read("VAULT_NAMESPACE")?.Trim('/'),
            Login = login,
            KvVersion = kvVersion,
            CaCertFile = Read("VAULT_CACERT"),
            CaCertDirectory = Read("VAULT_CAPATH"),
            SkipVerify = Read("VAULT_SKIP_VERIFY") is { } skip && (skip == "1" || skip.Equals("true", StringComparison.OrdinalIgnoreCase)),
        };
    }
}
