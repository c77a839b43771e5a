using Microsoft.Build.Utilities;

namespace ConfigManager.Tasks.Tests;

/// <summary>The scan-only task in-process: CM5004 for a token file copied nowhere, silence on a setting the resolve task reports.</summary>
[TestClass]
public sealed class ReportUncopiedTokenFilesTests
{
    [TestMethod]
    public void A_token_file_copied_nowhere_is_warning_CM5004_with_the_line_to_add()
    {
        using var run = new TaskRun();
        var source = run.Source("appsettings.json", "{\n  \"A\": \"CSTEST://echo/x\"\n}\n");
        source.SetMetadata("ConfigManagerItemType", "None");
        var task = new ReportUncopiedTokenFiles { BuildEngine = run.Engine, Files = [source], ProjectDirectory = run.ProjectDirectory };

        Assert.IsTrue(task.Execute());

        var warning = run.Engine.Warnings.Single();
        Assert.AreEqual("CM5004", warning.Code);
        Assert.AreEqual(2, warning.LineNumber);
        StringAssert.Contains(warning.Message, "<None Update=\"appsettings.json\" CopyToOutputDirectory=\"PreserveNewest\" />");
    }

    [TestMethod]
    public void An_invalid_key_separator_is_left_to_the_resolve_task()
    {
        using var run = new TaskRun();
        var task = new ReportUncopiedTokenFiles { BuildEngine = run.Engine, Files = [new TaskItem(run.Source("a.json", "{\"A\": \"CSTEST://echo/x\"}"))], ProjectDirectory = run.ProjectDirectory, KeySeparator = ":" };

        Assert.IsTrue(task.Execute());

        Assert.AreEqual(0, run.Engine.Warnings.Count + run.Engine.Errors.Count, run.Engine.Log);
    }
}
