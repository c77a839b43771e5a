namespace ConfigManager.Plugins.AwsShared;

/// <summary>What <see cref="AwsFailure.ForToken"/> needs to word one token's failure.</summary>
/// <param name="Prefix">AWSPARAMSTR, AWSSECRETS.</param>
/// <param name="Path">The token's path as written (never a value).</param>
/// <param name="Action">The IAM action to grant, e.g. <c>ssm:GetParameters</c>.</param>
/// <param name="Resource">The resource to grant it on, e.g. <c>arn:aws:ssm:eu-west-1:ACCOUNT:parameter/app/db</c>.</param>
/// <param name="EndpointVariables">The endpoint variables to check, e.g. <c>AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL</c>.</param>
/// <param name="ExtraGrant">More to grant, appended after the resource (e.g. <c> and kms:Decrypt on its KMS key</c>), or empty.</param>
/// <param name="NotFoundRemedy">What to do when the item does not exist, or null for the failure's own remedy.</param>
public sealed record AwsTokenContext(string Prefix, string Path, string Action, string Resource, string EndpointVariables, string ExtraGrant = "", string? NotFoundRemedy = null);
