using ConfigManager.TestSupport;
using Microsoft.Build.Utilities;

namespace ConfigManager.Tasks.Tests;

/// <summary>The resolve task in-process with a recording engine: option mapping, its coded errors, cancellation, item outputs.</summary>
[TestClass]
public sealed class ResolveConfigTokensTests
{
    private TaskRun _run = null!;

    [TestInitialize]
    public void Setup()
    {
        ProcessTable.EnsureMarked();
        _run = new TaskRun();
    }

    [TestCleanup]
    public void Cleanup()
    {
        var binary = _run.Binary;
        _run.Dispose();
        ProcessTable.AssertNoneRunning(binary);
    }

    [TestMethod]
    public void Resolves_through_the_plugin_found_above_the_project_and_returns_items()
    {
        var source = _run.Source("appsettings.json", "{\n  \"Greeting\": \"CSTEST://echo/hi\"\n}\n");
        var task = _run.Task(source);

        Assert.IsTrue(task.Execute(), _run.Engine.Log);

        Assert.AreEqual("{\n  \"Greeting\": \"hi\"\n}\n", File.ReadAllText(_run.OutputPath("appsettings.json")));
        Assert.AreEqual(1, task.PluginLaunchCount);
        var resolved = task.ResolvedFiles.Single();
        Assert.AreEqual(_run.OutputPath("appsettings.json"), resolved.ItemSpec);
        Assert.AreEqual(source.ItemSpec, resolved.GetMetadata("SourceFile"));
        Assert.AreEqual("1", resolved.GetMetadata("TokenCount"));
        var token = task.Tokens.Single();
        Assert.AreEqual("CSTEST://echo/hi", token.ItemSpec);
        Assert.AreEqual("2", token.GetMetadata("Line"));
        Assert.AreEqual("16", token.GetMetadata("Column"));
        Assert.AreEqual("CSTEST", token.GetMetadata("Prefix"));
        Assert.AreEqual(source.ItemSpec, token.GetMetadata("File"));
    }

    [TestMethod]
    [DataRow(nameof(ResolveConfigTokens.KeySeparator), "||", "ConfigManagerKeySeparator must be exactly one character")]
    [DataRow(nameof(ResolveConfigTokens.KeySeparator), ":", "ConfigManagerKeySeparator ':' ends a token")]
    [DataRow(nameof(ResolveConfigTokens.TokenSeparator), "a b", "ConfigManagerTokenSeparator 'a b' is refused")]
    [DataRow(nameof(ResolveConfigTokens.HandshakeTimeout), "1e300", "ConfigManagerHandshakeTimeout '1e300' is longer than the maximum of 24 hours")]
    [DataRow(nameof(ResolveConfigTokens.CallTimeout), "soon", "ConfigManagerCallTimeout 'soon' is not a duration")]
    [DataRow(nameof(ResolveConfigTokens.MaxConcurrencyPerPrefix), "-1", "ConfigManagerMaxConcurrencyPerPrefix must be 0 (default) or a positive number")]
    [DataRow(nameof(ResolveConfigTokens.ExtraPrefixes), "9LIVES", "ConfigManagerExtraPrefixes '9LIVES' is not a prefix")]
    [DataRow(nameof(ResolveConfigTokens.PluginDirectory), " ", "ConfigManagerPluginDir must name a directory")]
    public void An_invalid_setting_is_CM5002_naming_the_property_and_nothing_starts(string property, string value, string expected)
    {
        var task = _run.Task(_run.Source("appsettings.json", "{\"A\": \"CSTEST://echo/x\"}"));
        Set(task, property, value);

        Assert.IsFalse(task.Execute());

        var error = _run.Engine.Errors.Single();
        Assert.AreEqual("CM5002", error.Code, _run.Engine.Log);
        StringAssert.Contains(error.Message, expected);
        Assert.AreEqual(0, task.PluginLaunchCount);
        Assert.IsFalse(File.Exists(_run.OutputPath("appsettings.json")));
    }

    [TestMethod]
    public void Old_and_new_duration_forms_are_both_accepted()
    {
        foreach (var timeout in new[] { "60", "00:01:00", "30s", "2m" })
        {
            var task = _run.Task(_run.Source("appsettings.json", "{\"A\": \"CSTEST://echo/x\"}"));
            task.HandshakeTimeout = timeout;
            task.CallTimeout = timeout;
            Assert.IsTrue(task.Execute(), timeout + ": " + _run.Engine.Log);
        }
    }

    [TestMethod]
    public void A_packaged_plugin_without_a_valid_hash_is_CM5002()
    {
        var task = _run.Task(_run.Source("appsettings.json", "{}"));
        var item = new TaskItem("Mark");
        item.SetMetadata("Path", Path.Combine(_run.Root, "mark"));
        item.SetMetadata("Sha256", "abc");
        item.SetMetadata("PackageId", "ConfigManager.Plugin.Mark");
        task.PackagedPlugins = [item];

        Assert.IsFalse(task.Execute());

        var error = _run.Engine.Errors.Single();
        Assert.AreEqual("CM5002", error.Code);
        StringAssert.Contains(error.Message, "ConfigManagerPlugin item 'Mark' (package ConfigManager.Plugin.Mark) has no valid Sha256");
    }

    [TestMethod]
    public void An_item_without_OutputPath_or_with_an_unknown_Format_is_CM5002()
    {
        var noOutput = new TaskItem(Path.Combine(_run.ProjectDirectory, "a.json"));
        var toml = _run.Source("b.toml", "x = 1", format: "toml");

        Assert.IsFalse(_run.Task(noOutput, toml).Execute());

        CollectionAssert.AreEqual(new[] { "CM5002", "CM5002" }, _run.Engine.Errors.Select(e => e.Code).ToArray(), _run.Engine.Log);
        StringAssert.Contains(_run.Engine.Errors[0].Message, "has no OutputPath metadata");
        StringAssert.Contains(_run.Engine.Errors[1].Message, "has Format 'toml'");
    }

    [TestMethod]
    public void An_unreadable_source_is_CM4052_and_invalid_text_is_CM4104()
    {
        var missing = new TaskItem(Path.Combine(_run.ProjectDirectory, "missing.json"));
        missing.SetMetadata("OutputPath", _run.OutputPath("missing.json"));
        var latin1 = _run.Source("latin1.json", "{}");
        File.WriteAllBytes(latin1.ItemSpec, System.Text.Encoding.Latin1.GetBytes("{\"City\": \"Montr\u00e9al\"}"));

        Assert.IsFalse(_run.Task(missing, latin1).Execute());

        CollectionAssert.AreEqual(new[] { "CM4052", "CM4104" }, _run.Engine.Errors.Select(e => e.Code).ToArray(), _run.Engine.Log);
        Assert.AreEqual(missing.ItemSpec, _run.Engine.Errors[0].File);
    }

    [TestMethod]
    public void A_relative_lock_file_is_read_from_the_project_folder()
    {
        var task = _run.Task(_run.Source("appsettings.json", "{\"A\": \"CSTEST://echo/x\"}"));
        task.LockFile = "pins.json";

        Assert.IsFalse(task.Execute());

        var error = _run.Engine.Errors.Single();
        Assert.AreEqual("CM2003", error.Code, _run.Engine.Log);
        StringAssert.Contains(error.Message, Path.Combine(_run.ProjectDirectory, "pins.json"));
        Assert.AreEqual(0, task.PluginLaunchCount);
    }

    [TestMethod]
    public void A_plugin_error_fails_strictly_and_warns_in_lax_mode()
    {
        var strict = _run.Task(_run.Source("appsettings.json", "{\"A\": \"CSTEST://error/nope\"}"));
        Assert.IsFalse(strict.Execute());
        Assert.IsTrue(_run.Engine.Errors.Count > 0, _run.Engine.Log);
        Assert.IsFalse(File.Exists(_run.OutputPath("appsettings.json")), "nothing written when resolution fails");

        var lax = _run.Task(_run.Source("appsettings.json", "{\"A\": \"CSTEST://error/nope\"}"));
        lax.Lax = true;
        Assert.IsTrue(lax.Execute(), _run.Engine.Log);
        Assert.IsTrue(_run.Engine.Warnings.Count > 0);
        StringAssert.Contains(File.ReadAllText(_run.OutputPath("appsettings.json")), "CSTEST://error/nope");
    }

    [TestMethod]
    public void Cancel_is_CM4053_and_writes_nothing()
    {
        var task = _run.Task(_run.Source("appsettings.json", "{\"A\": \"CSTEST://sleep/60000\"}"));
        var execution = System.Threading.Tasks.Task.Run(task.Execute);
        // Cancel once the plugin is serving the slow call (seconds of margin: the launch may be slow on a busy machine).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (ProcessTable.Find(_run.Binary).Count == 0 && DateTime.UtcNow < deadline && !execution.IsCompleted)
        {
            Thread.Sleep(50);
        }

        Thread.Sleep(1000);
        task.Cancel();

        Assert.IsTrue(execution.Wait(TimeSpan.FromSeconds(60)), "the task returns after Cancel");
        Assert.IsFalse(execution.Result);
        Assert.AreEqual("CM4053", _run.Engine.Errors.Single().Code, _run.Engine.Log);
        Assert.IsFalse(File.Exists(_run.OutputPath("appsettings.json")));
    }

    private static void Set(ResolveConfigTokens task, string property, string value)
    {
        var info = typeof(ResolveConfigTokens).GetProperty(property)!;
        info.SetValue(task, info.PropertyType == typeof(int) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
            : info.PropertyType == typeof(string[]) ? new[] { value }
            : value);
    }
}
