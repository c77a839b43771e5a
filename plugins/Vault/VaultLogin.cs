using System.Text.Json;

namespace ConfigManager.Plugins.Vault;

/// <summary>
/// An auth method's login (<c>POST /v1/auth/{mount}/login</c>) that yields the run's client token: AppRole
/// (VAULT_ROLE_ID/VAULT_SECRET_ID), Kubernetes (VAULT_K8S_ROLE with the pod's service-account token file), JWT/OIDC
/// (VAULT_JWT_ROLE with a CI's ID token from VAULT_JWT or VAULT_JWT_FILE) or AWS IAM (configmanager's VAULT_TOKEN=aws_iam,
/// the role from the token's [iam_role=NAME] or VAULT_AWS_ROLE). Holds credentials: never log an instance.
/// </summary>
internal sealed record VaultLogin
{
    public const string KubernetesTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    public const string AwsIam = "AWS IAM";

    /// <summary>"AppRole", "Kubernetes", "JWT" or "AWS IAM", for messages.</summary>
    public required string Name { get; init; }

    /// <summary>Where the auth method is mounted (approle, kubernetes, jwt by default).</summary>
    public required string Mount { get; init; }

    /// <summary>The role (Kubernetes, JWT, AWS IAM: empty when each token names it) or role_id (AppRole).</summary>
    public required string Role { get; init; }

    /// <summary>AppRole's secret_id (optional: a role may not bind one).</summary>
    public string? SecretId { get; init; }

    /// <summary>The JWT itself (VAULT_JWT), or null to read <see cref="JwtFile"/> at login time (projected tokens rotate).</summary>
    public string? Jwt { get; init; }

    public string? JwtFile { get; init; }

    /// <summary>What to check when Vault refuses the login (400/403).</summary>
    public required string RefusedHint { get; init; }

    /// <summary>Reads a variable (AWS IAM signs with the AWS_* credentials at login time).</summary>
    public Func<string, string?>? Variables { get; init; }

    /// <summary>The login request's JSON body; <paramref name="role"/> is AWS IAM's role for this login.</summary>
    public byte[] Body(string role)
    {
        if (Name == AwsIam)
        {
            return AwsIamLoginRequest.Create(role, Variables!, DateTimeOffset.UtcNow);
        }

        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            if (Name == "AppRole")
            {
                json.WriteString("role_id", Role);
                if (SecretId is not null)
                {
                    json.WriteString("secret_id", SecretId);
                }
            }
            else
            {
                json.WriteString("role", Role);
                json.WriteString("jwt", Jwt ?? ReadJwtFile());
            }

            json.WriteEndObject();
        }

        return body.ToArray();
    }

    /// <summary>AWS IAM login (VAULT_TOKEN=aws_iam): VAULT_AWS_MOUNT (default aws), VAULT_AWS_ROLE as the default role.</summary>
    public static VaultLogin AwsIamFromEnvironment(Func<string, string?> read)
    {
        var mount = read("VAULT_AWS_MOUNT")?.Trim('/') ?? "aws";
        return new VaultLogin
        {
            Name = AwsIam,
            Mount = mount,
            Role = read("VAULT_AWS_ROLE") ?? string.Empty,
            Variables = read,
            RefusedHint = $"check that the role exists at auth/{mount} (auth_type=iam) and its bound_iam_principal_arn matches these AWS credentials, and VAULT_AWS_HEADER_VALUE if the mount sets iam_server_id_header_value",
        };
    }

    /// <summary>The login configured by the environment (AppRole, then Kubernetes, then JWT), or null.</summary>
    public static VaultLogin? FromEnvironment(Func<string, string?> read)
    {
        if (read("VAULT_ROLE_ID") is { } roleId)
        {
            var mount = read("VAULT_APPROLE_MOUNT")?.Trim('/') ?? "approle";
            return new VaultLogin
            {
                Name = "AppRole",
                Mount = mount,
                Role = roleId,
                SecretId = read("VAULT_SECRET_ID"),
                RefusedHint = $"check VAULT_ROLE_ID and VAULT_SECRET_ID (a secret id expires or runs out of uses; issue a new one with `vault write -f auth/{mount}/role/<role>/secret-id`)",
            };
        }

        if (read("VAULT_K8S_ROLE") is { } k8sRole)
        {
            var mount = read("VAULT_K8S_MOUNT")?.Trim('/') ?? "kubernetes";
            return new VaultLogin
            {
                Name = "Kubernetes",
                Mount = mount,
                Role = k8sRole,
                JwtFile = read("VAULT_K8S_TOKEN_FILE") ?? KubernetesTokenFile,
                RefusedHint = $"check that role '{k8sRole}' at auth/{mount} binds this pod's service account and namespace (bound_service_account_names, bound_service_account_namespaces)",
            };
        }

        if (read("VAULT_JWT_ROLE") is { } jwtRole)
        {
            var mount = read("VAULT_JWT_MOUNT")?.Trim('/') ?? "jwt";
            var jwt = read("VAULT_JWT");
            var file = read("VAULT_JWT_FILE");
            if (jwt is null && file is null)
            {
                throw new VaultException(VaultErrorCodes.BadSetting, "VAULT_JWT_ROLE is set but neither VAULT_JWT nor VAULT_JWT_FILE gives the JWT to log in with: set one (e.g. the CI's OIDC ID token)");
            }

            return new VaultLogin
            {
                Name = "JWT",
                Mount = mount,
                Role = jwtRole,
                Jwt = jwt,
                JwtFile = file,
                RefusedHint = $"check that role '{jwtRole}' at auth/{mount} accepts this token (bound_audiences, bound_claims, bound_subject) and that the token has not expired",
            };
        }

        return null;
    }

    private string ReadJwtFile()
    {
        try
        {
            return File.ReadAllText(JwtFile!).Trim() is { Length: > 0 } jwt
                ? jwt
                : throw new VaultException(VaultErrorCodes.BadSetting, $"{Name} login: the token file {JwtFile} is empty");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var variable = Name == "Kubernetes" ? "VAULT_K8S_TOKEN_FILE" : "VAULT_JWT_FILE";
            throw new VaultException(VaultErrorCodes.BadSetting, $"{Name} login: cannot read the token file {JwtFile} ({ex.Message}); set {variable} to the service-account or ID token file", ex);
        }
    }
}
