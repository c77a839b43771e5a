namespace ConfigManager.Plugins.AwsSecrets.Signing;

/// <summary>The key pair (and session token) a request is signed with. Holds secrets: never log it or put it in an exception.</summary>
internal sealed record AwsSigningCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    /// <summary>Only the access key id: the secret key and the token must never reach a log.</summary>
    public override string ToString() => $"AwsSigningCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
