using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ConfigManager.TestSupport.LocalServers.Vault;

/// <summary>
/// A stand-in for Vault's HTTP API on 127.0.0.1 (optionally HTTPS), strict where the plugin's correctness is at stake:
/// every request needs a known X-Vault-Token, tokens only read the paths their policy names, KV v2 serves
/// <c>data/</c> with versions and soft-deleted/destroyed versions, KV v1 serves plain paths, AppRole login issues a fresh
/// client token, namespaces (X-Vault-Namespace) scope mounts, and sealed/429/5xx replies can be injected.
/// </summary>
public sealed partial class VaultServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, VaultPolicy> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string SecretId, VaultPolicy Policy)> _roles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _mounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<VaultSecretVersion>> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<VaultRequest> _requests = new();
    private readonly ConcurrentQueue<(int Status, string Error, string? RetryAfter)> _faults = new();
    private int _logins;

    private VaultServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http(s)://127.0.0.1:port, no trailing slash: the value for VAULT_ADDR.</summary>
    public Uri Address { get; }

    /// <summary>Every request received, in order (header values are recorded as present/absent, tokens never kept).</summary>
    public IReadOnlyCollection<VaultRequest> Requests => _requests;

    /// <summary>AppRole logins served.</summary>
    public int LoginCount => Volatile.Read(ref _logins);

    /// <summary>When set, every request gets 503 "Vault is sealed", as a sealed Vault answers.</summary>
    public bool Sealed { get; set; }

    /// <summary>Starts the server; <paramref name="certificate"/> (with its private key) turns on HTTPS.</summary>
    public static async Task<VaultServer> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        VaultServer? server = null;
        app.Map("/v1/{**path}", (HttpContext context) => server!.HandleAsync(context));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        server = new VaultServer(app, new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}"));
        return server;
    }

    /// <summary>A client token that may read the given API paths (prefix match; "*" = everything).</summary>
    public void AddToken(string token, params string[] readablePaths) => _tokens[token] = new VaultPolicy(readablePaths);

    /// <summary>An AppRole role: its login returns a new client token with the given read paths.</summary>
    public void AddAppRole(string roleId, string secretId, params string[] readablePaths) => _roles[roleId] = (secretId, new VaultPolicy(readablePaths));

    /// <summary>Mounts a KV engine (version 1 or 2) at <paramref name="mount"/>, in <paramref name="ns"/> when given.</summary>
    public void Mount(string mount, int kvVersion, string? ns = null) => _mounts[Key(ns, mount)] = kvVersion;

    /// <summary>Writes a new version of a secret (KV v1 mounts keep only the last).</summary>
    public void Put(string mount, string path, object data, string? ns = null)
    {
        var versions = _secrets.GetOrAdd(Key(ns, mount) + "|" + path, _ => []);
        lock (versions)
        {
            if (_mounts[Key(ns, mount)] == 1)
            {
                versions.Clear();
            }

            versions.Add(new VaultSecretVersion(JsonSerializer.SerializeToNode(data)!.AsObject()));
        }
    }

    /// <summary>Soft-deletes (or destroys) one KV v2 version.</summary>
    public void Delete(string mount, string path, int version, bool destroy = false, string? ns = null)
    {
        var versions = _secrets[Key(ns, mount) + "|" + path];
        lock (versions)
        {
            versions[version - 1] = versions[version - 1] with { DeletionTime = DateTimeOffset.UtcNow, Destroyed = destroy };
        }
    }

    /// <summary>The next request (whatever it is) gets this status and Vault error text, with an optional Retry-After.</summary>
    public void EnqueueFault(int status, string error, string? retryAfter = null) => _faults.Enqueue((status, error, retryAfter));

    /// <summary>Drops the faults not yet played.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>The next <paramref name="count"/> requests get this fault.</summary>
    public void EnqueueFaults(int count, int status, string error, string? retryAfter = null)
    {
        for (var i = 0; i < count; i++)
        {
            EnqueueFault(status, error, retryAfter);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // Namespace and mount joined by "::", which neither contains, so root mounts and namespaced mounts never mix.
    private static string Key(string? ns, string mount) => (ns?.Trim('/') ?? string.Empty) + "::" + mount.Trim('/');

    /// <summary>The mount part of a key in namespace <paramref name="ns"/>, or null when the key is in another namespace.</summary>
    private static string? LocalMount(string key, string? ns) =>
        key.StartsWith((ns ?? string.Empty) + "::", StringComparison.Ordinal) ? key[((ns ?? string.Empty).Length + 2)..] : null;

    private async Task HandleAsync(HttpContext context)
    {
        var path = (string?)context.Request.RouteValues["path"] ?? string.Empty;
        var ns = context.Request.Headers["X-Vault-Namespace"].FirstOrDefault()?.Trim('/');
        var token = context.Request.Headers["X-Vault-Token"].FirstOrDefault();
        _requests.Enqueue(new VaultRequest(context.Request.Method, path + context.Request.QueryString, token is not null, ns));

        if (Sealed)
        {
            await ErrorAsync(context, 503, "Vault is sealed");
            return;
        }

        if (_faults.TryDequeue(out var fault))
        {
            if (fault.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = fault.RetryAfter;
            }

            await ErrorAsync(context, fault.Status, fault.Error);
            return;
        }

        if (path.StartsWith("auth/", StringComparison.Ordinal) && path.EndsWith("/login", StringComparison.Ordinal))
        {
            await LoginAsync(context, path);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await ErrorAsync(context, 405, "unsupported operation");
            return;
        }

        if (token is null || !_tokens.TryGetValue(token, out var policy))
        {
            await ErrorAsync(context, 403, "permission denied");
            return;
        }

        if (path.StartsWith("sys/internal/ui/mounts/", StringComparison.Ordinal))
        {
            await MountInfoAsync(context, ns, path["sys/internal/ui/mounts/".Length..]);
            return;
        }

        if (!policy.CanRead(path))
        {
            await ErrorAsync(context, 403, "1 error occurred:\n\t* permission denied\n\n");
            return;
        }

        await ReadAsync(context, ns, path);
    }

    private async Task AppRoleLoginAsync(HttpContext context, JsonNode? body)
    {
        var roleId = body?["role_id"]?.GetValue<string>();
        var secretId = body?["secret_id"]?.GetValue<string>();
        if (roleId is null || !_roles.TryGetValue(roleId, out var role) || role.SecretId != secretId)
        {
            await ErrorAsync(context, 400, "invalid role or secret ID");
            return;
        }

        await IssueClientTokenAsync(context, role.Policy);
    }

    private async Task IssueClientTokenAsync(HttpContext context, VaultPolicy policy)
    {
        Interlocked.Increment(ref _logins);
        var clientToken = "hvs." + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        _tokens[clientToken] = policy;
        await WriteAsync(context, 200, new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["client_token"] = clientToken,
                ["accessor"] = "acc." + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)),
                ["policies"] = new JsonArray("default"),
                ["lease_duration"] = 2764800,
                ["renewable"] = true,
            },
        });
    }

    private async Task MountInfoAsync(HttpContext context, string? ns, string secretPath)
    {
        var mount = _mounts.Keys
            .Where(key => LocalMount(key, ns) is { } local && (secretPath + "/").StartsWith(local + "/", StringComparison.Ordinal))
            .MaxBy(key => key.Length);
        if (mount is null)
        {
            await ErrorAsync(context, 400, "no mount found for path");
            return;
        }

        var local = LocalMount(mount, ns)!;
        await WriteAsync(context, 200, new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["type"] = "kv",
                ["path"] = local + "/",
                ["options"] = _mounts[mount] == 2 ? new JsonObject { ["version"] = "2" } : null,
            },
        });
    }

    private async Task ReadAsync(HttpContext context, string? ns, string path)
    {
        foreach (var (mountKey, kvVersion) in _mounts.OrderByDescending(pair => pair.Key.Length))
        {
            var local = LocalMount(mountKey, ns);
            if (local is null || !path.StartsWith(local + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = path[(local.Length + 1)..];
            if (kvVersion == 2)
            {
                if (!rest.StartsWith("data/", StringComparison.Ordinal))
                {
                    await ErrorAsync(context, 404, "no handler for route \"" + path + "\"");
                    return;
                }

                await ReadV2Async(context, mountKey + "|" + rest["data/".Length..]);
                return;
            }

            if (!_secrets.TryGetValue(mountKey + "|" + rest, out var v1) || v1.Count == 0)
            {
                await ErrorAsync(context, 404, null);
                return;
            }

            await WriteAsync(context, 200, new JsonObject { ["lease_duration"] = 2764800, ["data"] = v1[^1].Data.DeepClone() });
            return;
        }

        await ErrorAsync(context, 404, "no handler for route \"" + path + "\"");
    }

    private async Task ReadV2Async(HttpContext context, string key)
    {
        if (!_secrets.TryGetValue(key, out var versions) || versions.Count == 0)
        {
            await ErrorAsync(context, 404, null);
            return;
        }

        VaultSecretVersion version;
        int number;
        lock (versions)
        {
            number = context.Request.Query["version"].FirstOrDefault() is { } asked && int.TryParse(asked, out var n) && n > 0 ? n : versions.Count;
            if (number > versions.Count)
            {
                version = null!;
            }
            else
            {
                version = versions[number - 1];
            }
        }

        if (version is null)
        {
            await ErrorAsync(context, 404, null);
            return;
        }

        var metadata = new JsonObject
        {
            ["created_time"] = "2026-01-01T00:00:00Z",
            ["custom_metadata"] = null,
            ["deletion_time"] = version.DeletionTime?.ToString("O") ?? string.Empty,
            ["destroyed"] = version.Destroyed,
            ["version"] = number,
        };
        var live = version.DeletionTime is null && !version.Destroyed;
        await WriteAsync(context, live ? 200 : 404, new JsonObject
        {
            ["lease_duration"] = 0,
            ["data"] = new JsonObject { ["data"] = live ? version.Data.DeepClone() : null, ["metadata"] = metadata },
        });
    }

    private static Task ErrorAsync(HttpContext context, int status, string? error) =>
        WriteAsync(context, status, new JsonObject { ["errors"] = error is null ? new JsonArray() : new JsonArray(error) });

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
