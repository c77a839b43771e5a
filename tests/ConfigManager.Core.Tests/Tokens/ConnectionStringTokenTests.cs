using ConfigManager.Core.Logging;
using ConfigManager.Core.Tests.Support;
using ConfigManager.Core.Tokens;
using ConfigManager.TestSupport;

namespace ConfigManager.Core.Tests.Tokens;

/// <summary>A <c>;</c> outside metadata ends a token, so tokens sit inside .NET connection strings (a departure from configmanager).</summary>
[TestClass]
public sealed class ConnectionStringTokenTests
{
    private static readonly EngineOptions s_withEnv = new() { ExtraPrefixes = ["ENV"] };

    private static ConfigToken[] Tokens(string text, EngineOptions? options = null)
    {
        var result = TokenScanner.Scan(text, "appsettings.json", TokenGrammar.Create(options ?? s_withEnv));
        Assert.AreEqual(0, result.Diagnostics.Count, string.Join("\n", result.Diagnostics));
        return [.. result.Tokens];
    }

    [TestMethod]
    public void Sql_server_password_token_ends_at_the_next_semicolon()
    {
        var token = Tokens("\"Server=db;User Id=app;Password=ENV://DB_PASSWORD;TrustServerCertificate=True\"").Single();
        Assert.AreEqual("ENV://DB_PASSWORD", token.Text);
        Assert.AreEqual("DB_PASSWORD", token.StorePath);
    }

    [TestMethod]
    public void Npgsql_tokens_with_key_paths_end_at_semicolons()
    {
        var tokens = Tokens("\"Host=pg;Username=AWSSECRETS:///prod/pg|user;Password=AWSSECRETS:///prod/pg|password;SSL Mode=Require\"");
        CollectionAssert.AreEqual(new[] { "user", "password" }, tokens.Select(t => t.KeyPath).ToArray());
        CollectionAssert.AreEqual(new[] { "/prod/pg", "/prod/pg" }, tokens.Select(t => t.StorePath).ToArray());
    }

    [TestMethod]
    public void Redis_password_token_is_followed_by_options_after_a_comma_and_ends_at_the_string_end()
    {
        // StackExchange.Redis separates options with ','; a ',' still belongs to the token, so the password goes last.
        var token = Tokens("\"cache:6380,ssl=True,abortConnect=False,password=VAULT://secret/redis|password\"").Single();
        Assert.AreEqual("VAULT://secret/redis|password", token.Text);
    }

    [TestMethod]
    public void Azure_storage_account_key_token_keeps_the_endpoint_suffix_outside()
    {
        var tokens = Tokens("\"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=AZKVSECRET:///storage-key;EndpointSuffix=core.windows.net\"");
        Assert.AreEqual("AZKVSECRET:///storage-key", tokens.Single().Text);
    }

    [TestMethod]
    public void Semicolon_inside_metadata_stays_in_the_metadata()
    {
        var token = Tokens("\"Password=VAULT://app/db|pw[version=2;role=x];Encrypt=True\"").Single();
        Assert.AreEqual("version=2;role=x", token.Metadata);
        Assert.AreEqual("VAULT://app/db|pw[version=2;role=x]", token.Text);
    }

    [TestMethod]
    public void Semicolon_chosen_as_key_separator_still_separates_the_key_path()
    {
        var token = Tokens("\"VAULT://app/db;password\"", new EngineOptions { KeySeparator = ';' }).Single();
        Assert.AreEqual("app/db", token.StorePath);
        Assert.AreEqual("password", token.KeyPath);
    }

    [TestMethod]
    public async Task Connection_string_resolves_with_every_other_pair_kept()
    {
        var source = new InMemoryValueSource().With("ENV", "DB_PASSWORD", "p;w\"d");
        var result = await TokenEngine.ResolveAsync(
            [new SourceDocument("appsettings.json", "{\"ConnectionStrings\":{\"Main\":\"Server=db;User Id=app;Password=ENV://DB_PASSWORD;TrustServerCertificate=True\"}}")],
            s_withEnv,
            source,
            new RecordingLogSink(),
            new SecretMask(),
            CancellationToken.None);

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.AreEqual("{\"ConnectionStrings\":{\"Main\":\"Server=db;User Id=app;Password=p;w\\\"d;TrustServerCertificate=True\"}}", result.Documents.Single().Text);
        Assert.AreEqual(1, source.CallsFor("ENV", "DB_PASSWORD"));
    }
}
