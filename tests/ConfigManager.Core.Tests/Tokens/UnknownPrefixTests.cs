using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Tests.Support;
using ConfigManager.TestSupport;

namespace ConfigManager.Core.Tests.Tokens;

/// <summary>Missing plugins are never silent: a token-shaped string whose prefix nobody serves is CM2050 at its position.</summary>
[TestClass]
public sealed class UnknownPrefixTests
{
    private static IReadOnlyList<Diagnostic> Scan(string text, EngineOptions? options = null)
        => TokenEngine.Scan([new SourceDocument("appsettings.json", text)], options ?? new EngineOptions()).Diagnostics;

    [TestMethod]
    public void Unknown_prefix_is_a_CM2050_warning_with_line_column_and_the_install_command()
    {
        var diagnostics = Scan("{\n  \"A\": \"AWSSECRETS://known\",\n  \"B\": \"ACME:///team/db|password\"\n}\n");

        var warning = diagnostics.Single();
        Assert.AreEqual("CM2050", warning.Code);
        Assert.AreEqual(DiagnosticSeverity.Warning, warning.Severity);
        Assert.AreEqual(("appsettings.json", 3, 9), (warning.File, warning.Line, warning.Column));
        StringAssert.Contains(warning.Message, "dotnet configmanager init --plugin acme");
        Assert.AreEqual("ACME://", warning.TokenName);
    }

    [TestMethod]
    public void The_message_names_the_prefix_only_never_what_follows_it()
    {
        var diagnostics = Scan("\"Conn\": \"MYDB://admin:hunter2@db.internal/app\"");

        var warning = diagnostics.Single();
        Assert.IsFalse(warning.ToString().Contains("hunter2", StringComparison.Ordinal), warning.ToString());
        Assert.IsFalse(warning.ToString().Contains("admin", StringComparison.Ordinal), warning.ToString());
    }

    [TestMethod]
    public void Strict_prefixes_make_it_an_error_that_stops_the_run_before_any_value_is_asked()
    {
        var source = new InMemoryValueSource().With("GOTEST", "echo/x", "x");
        var options = new EngineOptions { ExtraPrefixes = ["GOTEST"], StrictPrefixes = true };

        var result = TokenEngine.ResolveAsync(
            [new SourceDocument("a.json", "{\"a\":\"GOTEST://echo/x\",\"b\":\"NOPLUGIN://y\"}")],
            options, source, new RecordingLogSink(), new SecretMask(), CancellationToken.None).GetAwaiter().GetResult();

        Assert.IsFalse(result.Succeeded);
        var error = result.Diagnostics.Single();
        Assert.AreEqual(("CM2050", DiagnosticSeverity.Error), (error.Code, error.Severity));
        Assert.AreEqual(0, source.CallsFor("GOTEST", "echo/x"));
    }

    [TestMethod]
    public void Known_configured_and_installed_prefixes_uri_schemes_and_lower_case_words_are_not_reported()
    {
        var diagnostics = Scan(
            "VAULT://a GCPSECRETS:///projects/p/secrets/s MINE://x HTTPS://example.org FILE:///tmp/a mongodb://h http://h xACME://q",
            new EngineOptions { ExtraPrefixes = ["MINE"] });

        Assert.AreEqual(0, diagnostics.Count, string.Join("\n", diagnostics));
    }

    [TestMethod]
    public void Every_occurrence_is_reported_in_text_order()
    {
        var diagnostics = Scan("ONE://a\nTWO://b ONE://c\n");

        CollectionAssert.AreEqual(
            new[] { (1, 1), (2, 1), (2, 9) },
            diagnostics.Select(d => (d.Line, d.Column)).ToArray());
    }
}
