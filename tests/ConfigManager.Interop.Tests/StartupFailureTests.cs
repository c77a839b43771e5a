using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.GoPlugin;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>Plugins that cannot be found, started or understood: each has a code, the path, and what to do.</summary>
[TestClass]
public sealed class StartupFailureTests
{
    [TestMethod]
    public async Task Missing_plugin_lists_every_path_tried_and_how_to_install()
    {
        using var dirLayout = PluginLayout.Empty();
        using var work = PluginLayout.Empty();
        using var home = PluginLayout.Empty();
        await using var host = new PluginHost(
            new PluginHostOptions { PluginDirectory = dirLayout.Root, WorkingDirectory = work.Root, HomeDirectory = home.Root },
            new RecordingLogSink(),
            new Core.Logging.SecretMask());
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => host.GetValueAsync(new("NOPE", "a/b", ""), CancellationToken.None));
        Assert.AreEqual("CM2001", ex.Code);
        StringAssert.Contains(ex.Message, dirLayout.PluginPath("NOPE"));
        StringAssert.Contains(ex.Message, work.PluginPath("NOPE"));
        StringAssert.Contains(ex.Message, home.PluginPath("NOPE"));
        StringAssert.Contains(ex.Message, "dotnet configmanager init --plugin nope");
        Assert.AreEqual(0, host.LaunchCount);
    }

    [TestMethod]
    public void Configmanager_dir_variable_is_searched_first()
    {
        var binary = TestPlugins.BinaryPath(TestPluginKind.Go);
        using var fromVariable = PluginLayout.WithSymlink("GOTEST", binary);
        var saved = Environment.GetEnvironmentVariable("CONFIGMANAGER_DIR");
        Environment.SetEnvironmentVariable("CONFIGMANAGER_DIR", fromVariable.Root);
        try
        {
            using var empty = PluginLayout.Empty();
            var locator = new Core.Plugins.PluginLocator(null, empty.Root, empty.Root);
            Assert.AreEqual(fromVariable.PluginPath("GOTEST"), locator.Find("gotest").Path);
            Assert.AreEqual(fromVariable.PluginPath("GOTEST"), locator.CandidatePaths("GoTest")[0]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CONFIGMANAGER_DIR", saved);
        }
    }

    [TestMethod]
    public void Search_order_is_plugin_directory_then_working_directory_then_home()
    {
        using var dir = PluginLayout.Empty();
        using var work = PluginLayout.Empty();
        using var home = PluginLayout.Empty();
        var locator = new Core.Plugins.PluginLocator(dir.Root, work.Root, home.Root);
        CollectionAssert.AreEqual(
            new[] { dir.PluginPath("VAULT"), work.PluginPath("VAULT"), home.PluginPath("VAULT") },
            locator.CandidatePaths("VAULT").ToArray());

        home.InstallNotExecutable("VAULT");
        Assert.AreEqual(home.PluginPath("VAULT"), locator.Find("vault").Path);
        work.InstallNotExecutable("VAULT");
        Assert.AreEqual(work.PluginPath("VAULT"), locator.Find("vault").Path);
        dir.InstallNotExecutable("VAULT");
        Assert.AreEqual(dir.PluginPath("VAULT"), locator.Find("vault").Path);
        StringAssert.EndsWith(locator.Find("vault").Path, Path.Combine("vault", "vault-linux-amd64"));
    }

    [TestMethod]
    public async Task Not_executable_plugin_is_CM2002()
    {
        using var layout = PluginLayout.Empty();
        var path = layout.InstallNotExecutable("GOTEST");
        await using var run = HostRun.Create(TestPluginKind.Go, layout, path, mtls: true);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2002", ex.Code);
        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "chmod +x");
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.StartupMisbehaviours), typeof(InteropMatrix))]
    public async Task Start_up_misbehaviour_is_a_coded_error_and_leaves_no_process(TestPluginKind kind, bool mtls, string mode, string code, string detail)
    {
        using var tmp = new PrivateTempDirectory();
        await using var run = HostRun.Start(kind, mtls, mode);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual(code, ex.Code, ex.Message);
        StringAssert.Contains(ex.Message, detail);
        StringAssert.Contains(ex.Message, run.Layout.PluginPath(run.Prefix));
        Assert.AreEqual(run.Layout.PluginPath(run.Prefix), ex.PluginPath);

        // Launch failures are final for the run: the same error, no second process.
        var again = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/y"));
        Assert.AreEqual(code, again.Code);
        Assert.AreEqual(1, run.Host.LaunchCount);
        ProcessTable.AssertNoneRunning(run.Binary);
        Assert.AreEqual(0, tmp.PluginLeftovers.Length, "socket left behind: " + string.Join(", ", tmp.PluginLeftovers));
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Refused_magic_cookie_shows_the_plugins_stderr(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls, execLine: "unset CONFIGMANAGER_PLUGIN\nexec \"$BIN\"");
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2011", ex.Code);
        StringAssert.Contains(ex.Message, "This binary is a plugin");
        StringAssert.Contains(ex.Message, "exit code 1");
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Silent_plugin_times_out_and_is_killed(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls, "silent", o => o with { HandshakeTimeout = TimeSpan.FromMilliseconds(700) });
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2012", ex.Code);
        StringAssert.Contains(ex.Message, "0.7 s");
        ProcessTable.AssertNoneRunning(run.Binary);
    }

    [TestMethod]
    public async Task Plugin_that_is_not_an_executable_format_is_CM2010()
    {
        using var layout = PluginLayout.Empty();
        var path = layout.InstallCopy("GOTEST", typeof(StartupFailureTests).Assembly.Location);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        await using var run = HostRun.Create(TestPluginKind.Go, layout, path, mtls: false);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2010", ex.Code, ex.Message);
    }
}
