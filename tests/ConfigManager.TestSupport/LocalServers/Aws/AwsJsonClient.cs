using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ConfigManager.TestSupport.LocalServers.Aws;

/// <summary>
/// The smallest client of AWS's JSON 1.1 APIs (SSM, Secrets Manager) for seeding and reading back moto in tests: a POST
/// with <c>X-Amz-Target</c> and an unsigned-but-well-formed Authorization header (moto reads the region and service
/// from its credential scope and does not check the signature). Errors throw with moto's <c>__type</c> and message.
/// </summary>
public sealed class AwsJsonClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public AwsJsonClient(Uri endpoint)
    {
        _endpoint = endpoint;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="target"/> (e.g. <c>AmazonSSM.PutParameter</c>) and returns the reply's JSON.</summary>
    public async Task<JsonNode> CallAsync(string target, JsonObject body, CancellationToken cancellationToken = default)
    {
        var service = target.StartsWith("AmazonSSM.", StringComparison.Ordinal) ? "ssm" : target.Split('.')[0].ToLowerInvariant();
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={MotoServer.AccessKeyId}/{DateTime.UtcNow:yyyyMMdd}/{MotoServer.Region}/{service}/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0000");
        using var reply = await _http.SendAsync(request, cancellationToken);
        var text = await reply.Content.ReadAsStringAsync(cancellationToken);
        if (!reply.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{target} failed: HTTP {(int)reply.StatusCode} {text}");
        }

        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    /// <summary>SSM PutParameter (Type String, StringList or SecureString); returns the new version.</summary>
    public async Task<long> PutParameterAsync(string name, string value, string type = "String", bool overwrite = false)
    {
        var reply = await CallAsync("AmazonSSM.PutParameter", new JsonObject { ["Name"] = name, ["Value"] = value, ["Type"] = type, ["Overwrite"] = overwrite });
        return reply["Version"]!.GetValue<long>();
    }

    /// <summary>SSM LabelParameterVersion: attaches <paramref name="labels"/> to <paramref name="version"/>.</summary>
    public Task LabelParameterVersionAsync(string name, long version, params string[] labels) =>
        CallAsync("AmazonSSM.LabelParameterVersion", new JsonObject
        {
            ["Name"] = name,
            ["ParameterVersion"] = version,
            ["Labels"] = new JsonArray([.. labels.Select(label => (JsonNode)label)]),
        });

    /// <summary>Secrets Manager CreateSecret with a SecretString (or SecretBinary, base64); returns the reply (ARN, VersionId).</summary>
    public Task<JsonNode> CreateSecretAsync(string name, string? secretString = null, byte[]? secretBinary = null)
    {
        var body = new JsonObject { ["Name"] = name };
        AddValue(body, secretString, secretBinary);
        return CallAsync("secretsmanager.CreateSecret", body);
    }

    /// <summary>Secrets Manager PutSecretValue (new version; stages default to AWSCURRENT, the old one becomes AWSPREVIOUS).</summary>
    public Task<JsonNode> PutSecretValueAsync(string secretId, string? secretString = null, byte[]? secretBinary = null, params string[] stages)
    {
        var body = new JsonObject { ["SecretId"] = secretId };
        AddValue(body, secretString, secretBinary);
        if (stages.Length > 0)
        {
            body["VersionStages"] = new JsonArray([.. stages.Select(stage => (JsonNode)stage)]);
        }

        return CallAsync("secretsmanager.PutSecretValue", body);
    }

    /// <summary>Secrets Manager UpdateSecretVersionStage: moves <paramref name="stage"/> to <paramref name="moveToVersionId"/> (from <paramref name="removeFromVersionId"/>).</summary>
    public Task<JsonNode> UpdateSecretVersionStageAsync(string secretId, string stage, string? moveToVersionId, string? removeFromVersionId = null)
    {
        var body = new JsonObject { ["SecretId"] = secretId, ["VersionStage"] = stage };
        if (moveToVersionId is not null)
        {
            body["MoveToVersionId"] = moveToVersionId;
        }

        if (removeFromVersionId is not null)
        {
            body["RemoveFromVersionId"] = removeFromVersionId;
        }

        return CallAsync("secretsmanager.UpdateSecretVersionStage", body);
    }

    public void Dispose() => _http.Dispose();

    private static void AddValue(JsonObject body, string? secretString, byte[]? secretBinary)
    {
        if (secretString is not null)
        {
            body["SecretString"] = secretString;
        }

        if (secretBinary is not null)
        {
            body["SecretBinary"] = Convert.ToBase64String(secretBinary);
        }
    }
}
