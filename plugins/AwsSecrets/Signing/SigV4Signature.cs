namespace ConfigManager.Plugins.AwsSecrets.Signing;

/// <summary>What signing produced: the Authorization header and the intermediate texts AWS's test suite publishes.</summary>
internal sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string Authorization);
