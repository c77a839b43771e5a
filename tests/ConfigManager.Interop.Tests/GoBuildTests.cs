using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>Missing Go skips locally but fails in CI (CONFIGMANAGER_REQUIRE_GO_INTEROP=1).</summary>
[TestClass]
public sealed class GoBuildTests
{
    [TestMethod]
    [DataRow(null, typeof(AssertInconclusiveException))]
    [DataRow("0", typeof(AssertInconclusiveException))]
    [DataRow("1", typeof(AssertFailedException))]
    public void Unavailable_go_is_inconclusive_unless_required(string? required, Type expected)
    {
        var saved = Environment.GetEnvironmentVariable(GoBuild.RequireVariable);
        Environment.SetEnvironmentVariable(GoBuild.RequireVariable, required);
        try
        {
            var ex = Assert.Throws<Exception>(() => GoBuild.SkipOrFail("go missing"));
            Assert.AreEqual(expected, ex.GetType());
            StringAssert.Contains(ex.Message, "go missing");
        }
        finally
        {
            Environment.SetEnvironmentVariable(GoBuild.RequireVariable, saved);
        }
    }

    [TestMethod]
    public void Build_outputs_exist_and_are_reused()
    {
        var first = GoBuild.Require();
        Assert.IsTrue(File.Exists(first.TestPlugin));
        Assert.IsTrue(File.Exists(first.GoHost));
        Assert.AreSame(first, GoBuild.Require(), "built once per test run");
        Assert.IsTrue(File.Exists(Path.Combine(GoBuild.OutputDirectory, "sources.sha256")));
    }
}
