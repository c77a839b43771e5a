using ConfigManager.Core.Tokens;

namespace ConfigManager.Core.Tests.Tokens;

/// <summary>A store path that is an AWS ARN keeps its ':' (which otherwise ends a token); key path and metadata split as usual.</summary>
[TestClass]
public sealed class ArnStorePathTests
{
    private const string SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf";

    private static readonly TokenGrammar s_default = TokenGrammar.Create(new EngineOptions());

    private static ConfigToken Single(string text)
    {
        var result = TokenScanner.Scan(text, "test.txt", s_default);
        Assert.IsEmpty(result.Diagnostics, string.Join("\n", result.Diagnostics));
        Assert.HasCount(1, result.Tokens);
        var token = result.Tokens[0];
        Assert.AreEqual(token.Text, text.Substring(token.Start, token.Length), "span must be exact");
        return token;
    }

    [TestMethod]
    public void An_ARN_with_a_key_path_keeps_its_colons_in_the_store_path()
    {
        var token = Single($"AWSSECRETS://{SecretArn}|password");
        Assert.AreEqual(SecretArn, token.StorePath);
        Assert.AreEqual("password", token.KeyPath);
        Assert.AreEqual("", token.Metadata);
    }

    [TestMethod]
    public void An_ARN_with_metadata_keeps_its_colons_in_the_store_path()
    {
        var token = Single($"AWSSECRETS://{SecretArn}[version=AWSPREVIOUS]");
        Assert.AreEqual(SecretArn, token.StorePath);
        Assert.AreEqual("", token.KeyPath);
        Assert.AreEqual("version=AWSPREVIOUS", token.Metadata);
    }

    [TestMethod]
    public void An_ARN_with_key_path_and_metadata_splits_all_three()
    {
        var token = Single($"{{\"db\": \"AWSSECRETS://{SecretArn}|db.password[versionid=EXAMPLE1-90ab]\"}}");
        Assert.AreEqual(SecretArn, token.StorePath);
        Assert.AreEqual("db.password", token.KeyPath);
        Assert.AreEqual("versionid=EXAMPLE1-90ab", token.Metadata);
    }

    [TestMethod]
    [DataRow("arn:aws:ssm:eu-west-1:111122223333:parameter/app/db")]
    [DataRow("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:app/db-AbCdEf")]
    [DataRow("arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/app/db")]
    public void ARNs_of_every_partition_are_one_store_path(string arn)
    {
        Assert.AreEqual(arn, Single($"AWSPARAMSTR://{arn} ").StorePath);
    }

    [TestMethod]
    public void The_ARN_ends_where_any_token_ends_and_a_colon_after_its_key_path_still_ends_it()
    {
        var result = TokenScanner.Scan($"u=AWSSECRETS://{SecretArn}|user:AWSSECRETS://{SecretArn}|password@host 'AWSPARAMSTR://arn:aws:ssm:us-east-1:1:parameter/x'", "test.txt", s_default);
        Assert.IsEmpty(result.Diagnostics);
        CollectionAssert.AreEqual(
            new[] { $"{SecretArn} user", $"{SecretArn} password", "arn:aws:ssm:us-east-1:1:parameter/x " },
            result.Tokens.Select(t => $"{t.StorePath} {t.KeyPath}").ToArray());
    }

    [TestMethod]
    [DataRow("AWSPARAMSTR://arnold:x", "arnold")]
    [DataRow("AWSPARAMSTR://arn:azure:x", "arn")]
    [DataRow("AWSPARAMSTR://arn:aws-:x", "arn")]
    [DataRow("AWSPARAMSTR://arn:aws-CN:x", "arn")]
    [DataRow("AWSPARAMSTR:///app/arn:aws:x", "/app/arn")]
    public void Only_a_store_path_that_starts_as_an_AWS_ARN_keeps_colons(string text, string path)
    {
        Assert.AreEqual(path, Single(text).StorePath);
    }
}
