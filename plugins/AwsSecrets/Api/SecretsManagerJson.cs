using System.Text.Json.Serialization;

namespace ConfigManager.Plugins.AwsSecrets.Api;

/// <summary>GetSecretValue's request (JSON 1.1; absent members are not sent).</summary>
internal sealed class GetSecretValueRequest
{
    public required string SecretId { get; init; }

    public string? VersionStage { get; init; }

    public string? VersionId { get; init; }
}

/// <summary>One secret value: GetSecretValue's reply, and each of BatchGetSecretValue's SecretValues.</summary>
internal sealed class SecretValueEntry
{
    [JsonPropertyName("ARN")]
    public string? Arn { get; init; }

    public string? Name { get; init; }

    public string? VersionId { get; init; }

    public string? SecretString { get; init; }

    /// <summary>The binary value as the wire carries it: base64 text.</summary>
    public string? SecretBinary { get; init; }
}

/// <summary>BatchGetSecretValue's request: up to 20 ids.</summary>
internal sealed class BatchGetSecretValueRequest
{
    public required IReadOnlyList<string> SecretIdList { get; init; }

    public string? NextToken { get; init; }
}

internal sealed class BatchGetSecretValueResponse
{
    public List<SecretValueEntry>? SecretValues { get; init; }

    public List<BatchSecretError>? Errors { get; init; }

    public string? NextToken { get; init; }
}

/// <summary>One id of a batch that failed; the others are unaffected.</summary>
internal sealed class BatchSecretError
{
    public string? SecretId { get; init; }

    public string? ErrorCode { get; init; }

    public string? Message { get; init; }
}

/// <summary>A JSON 1.1 error reply: <c>{"__type": "...#ResourceNotFoundException", "message": "..."}</c>.</summary>
internal sealed class AwsErrorReply
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    public string? Message { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(SecretValueEntry))]
[JsonSerializable(typeof(BatchGetSecretValueRequest))]
[JsonSerializable(typeof(BatchGetSecretValueResponse))]
[JsonSerializable(typeof(AwsErrorReply))]
internal sealed partial class SecretsManagerJsonContext : JsonSerializerContext;
