using System.Diagnostics;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

[TestClass]
public sealed class RetrieveCommandTests
{
    private const string Secret = "it's a 'secret' $HOME `id` \\n";
    private const string JsonPassword = "s3cr3t-json";

    private static ToolRunOptions WithSecret => new() { Environment = { ["CMTEST_SECRET"] = Secret } };

    private static void AssertNoSecret(ToolResult run)
    {
        Assert.IsFalse(run.Stderr.Contains("secret'", StringComparison.Ordinal), "secret on stderr:\n" + run.Stderr);
        Assert.IsFalse(run.Stderr.Contains(JsonPassword, StringComparison.Ordinal), "secret on stderr:\n" + run.Stderr);
    }

    [TestMethod]
    public async Task Retrieve_to_stdout_writes_export_lines_escaped_and_json_expanded()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync(WithSecret, "retrieve", "-t", "GOTEST:///env/CMTEST_SECRET", "-t", "GOTEST:///json/creds", "-t", "GOTEST:///json/other|password", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual(
            "export CMTEST_SECRET='it'\\''s a '\\''secret'\\'' $HOME `id` \\n'\n"
            + "export USER='alice'\n"
            + "export PASSWORD='s3cr3t-json'\n"
            + "export NESTED='{\"port\":5432,\"enabled\":true}'\n"
            + "export LIST='[1,2]'\n"
            + "export OTHER__PASSWORD='s3cr3t-json'\n",
            run.Stdout);
        AssertNoSecret(run);
    }

    [TestMethod]
    public async Task Variables_that_change_the_shell_or_loader_are_warned_about_with_CM4106()
    {
        using var go = GoPluginRun.Create();
        var options = new ToolRunOptions { Environment = { ["CMTEST_HOSTILE"] = "{\"PATH\":\"/tmp/evil\",\"LD_PRELOAD\":\"/tmp/evil.so\",\"DB\":\"ok\"}", ["BASH_ENV"] = "/tmp/evil-rc" } };

        var run = await go.RunAsync(options, "retrieve", "-t", "GOTEST:///env/CMTEST_HOSTILE", "-t", "GOTEST:///env/BASH_ENV", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, "export PATH='/tmp/evil'\n", "configmanager writes the line; the warning makes it visible");
        foreach (var name in new[] { "PATH", "LD_PRELOAD", "BASH_ENV" })
        {
            StringAssert.Contains(run.Stderr, $"warning CM4106: Token \"GOTEST:///env/", name);
            StringAssert.Contains(run.Stderr, $"sets {name},", name);
        }

        Assert.IsFalse(run.Stderr.Contains("sets DB,", StringComparison.Ordinal), run.Stderr);
        Assert.IsFalse(run.Stderr.Contains("/tmp/evil", StringComparison.Ordinal), "no value in the warning: " + run.Stderr);
    }

    [TestMethod]
    [DataRow("retrieve")]
    [DataRow("string-input")]
    public async Task Resolving_under_AutoMTLS_never_reads_the_system_trust_store_and_plugins_keep_the_users_SSL_variables(string command)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("the OpenSSL trust-store variables are a Linux matter");
        }

        var strace = new[] { "/usr/bin/strace", "/bin/strace" }.FirstOrDefault(File.Exists);
        if (strace is null)
        {
            Assert.Inconclusive("strace is not installed (.ci/run installs it): cannot observe which files the tool opens");
        }

        using var go = GoPluginRun.Create();
        // The user's own trust store: the plugin must get these values, and the tool must not read them.
        var certFile = go.PathIn("ca-bundle.crt");
        File.WriteAllText(certFile, "");
        var certDirectory = Directory.CreateDirectory(go.PathIn("certs")).FullName;
        var trace = go.PathIn("open.trace");
        var options = new ToolRunOptions
        {
            Environment = { ["SSL_CERT_FILE"] = certFile, ["SSL_CERT_DIR"] = certDirectory },
            Wrapper = [strace, "-f", "-qq", "-e", "trace=open,openat,openat2", "-o", trace],
            Timeout = TimeSpan.FromMinutes(3),
        };

        var run = command == "retrieve"
            ? await go.RunAsync(options, "retrieve", "-t", "GOTEST:///env/SSL_CERT_FILE", "-t", "GOTEST:///env/SSL_CERT_DIR", "-p", "stdout")
            : await go.RunAsync(options, "string-input", "-i", "GOTEST:///env/SSL_CERT_FILE GOTEST:///env/SSL_CERT_DIR", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, certFile, "the plugin must see the user's SSL_CERT_FILE, not the tool's own: " + run);
        StringAssert.Contains(run.Stdout, certDirectory, "the plugin must see the user's SSL_CERT_DIR: " + run);
        Assert.IsFalse(run.Stdout.Contains("/dev/null", StringComparison.Ordinal), run.ToString());
        var opened = File.ReadAllLines(trace).Where(line => line.Contains("open", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(opened.Count > 10, "strace saw the run's opens:\n" + string.Join('\n', opened.Take(20)));
        var storeOpens = opened.Where(line => line.Contains(certFile, StringComparison.Ordinal) || line.Contains(certDirectory, StringComparison.Ordinal)
                                              || line.Contains("/etc/ssl/certs", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(0, storeOpens.Count, "the tool loaded a trust store it never uses:\n" + string.Join('\n', storeOpens));
    }

    [TestMethod]
    public async Task Retrieve_output_sourced_by_sh_restores_the_exact_value()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync(WithSecret, "r", "-t", "GOTEST:///env/CMTEST_SECRET", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var psi = new ProcessStartInfo("/bin/sh", ["-c", run.Stdout + "printf %s \"$CMTEST_SECRET\""]) { RedirectStandardOutput = true };
        using var sh = Process.Start(psi)!;
        Assert.AreEqual(Secret, await sh.StandardOutput.ReadToEndAsync());
    }

    [TestMethod]
    public async Task Retrieve_writes_default_app_env_with_mode_0600()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("get", "-t", "GOTEST:///echo/hello-world", "--no-mtls");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var file = go.PathIn("app.env");
        Assert.AreEqual("export HELLO_WORLD='hello-world'\n", await File.ReadAllTextAsync(file));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.AreEqual(string.Empty, run.Stdout);
    }

    [TestMethod]
    public async Task Verbose_logs_plugin_lines_to_stderr_with_values_masked()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync(new ToolRunOptions(), "fetch", "-v", "-t", "GOTEST:///json/creds|password", "-t", "GOTEST:///log/x", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, "export CREDS__PASSWORD='s3cr3t-json'");
        StringAssert.Contains(run.Stderr, "plugin warn line");
        AssertNoSecret(run);
    }

    [TestMethod]
    public async Task Custom_token_and_key_separators()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "-s", "#", "-k", "^", "-t", "GOTEST#/json/db^user", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("export DB__USER='alice'\n", run.Stdout);
    }

    [TestMethod]
    public async Task Missing_plugin_exits_3_listing_every_path_tried()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "-t", "AWSSECRETS:///app/db", "-p", "stdout");

        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CM2001");
        StringAssert.Contains(run.Stderr, Path.Combine(go.Layout.Root, ".configmanager", "plugins", "awssecrets"));
        StringAssert.Contains(run.Stderr, Path.Combine(go.WorkDirectory, ".configmanager", "plugins", "awssecrets"));
        Assert.AreEqual(string.Empty, run.Stdout);
    }

    [TestMethod]
    public async Task Plugin_error_exits_1_and_writes_no_file()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/ok", "-t", "GOTEST:///error/no-such-secret");

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "no-such-secret");
        StringAssert.Contains(run.Stderr, "error CM");
        Assert.IsFalse(File.Exists(go.PathIn("app.env")));
    }

    [TestMethod]
    public async Task Lax_keeps_going_past_a_plugin_error()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "--lax", "-t", "GOTEST:///echo/ok", "-t", "GOTEST:///error/no-such-secret", "-p", "stdout");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, "export OK='ok'");
        StringAssert.Contains(run.Stderr, "warning");
    }

    [TestMethod]
    public async Task Plugin_crash_exits_4()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "-t", "GOTEST:///crash/now", "-p", "stdout");

        Assert.AreEqual(4, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM20");
    }

    [TestMethod]
    public async Task Call_timeout_exits_4()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "--timeout", "500ms", "-t", "GOTEST:///sleep/10000", "-p", "stdout");

        Assert.AreEqual(4, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CM2031");
    }

    [TestMethod]
    public async Task Plugin_refusing_to_start_exits_4_showing_its_stderr()
    {
        using var go = GoPluginRun.Create(mode: "exit");

        var run = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x", "-p", "stdout");

        Assert.AreEqual(4, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "refusing to start");
    }

    [TestMethod]
    public async Task Malformed_token_exits_1_with_grammar_code()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x[]", "-p", "stdout");

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CM1001");
    }

    [TestMethod]
    public async Task Unwritable_output_exits_6_and_leaves_no_partial_file()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x", "-p", go.PathIn("missing-dir/sub/app.env"));

        // The directory is created; a path under a regular file cannot be.
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        await File.WriteAllTextAsync(go.PathIn("plainfile"), "x");
        var blocked = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x", "-p", go.PathIn("plainfile/app.env"));
        Assert.AreEqual(6, blocked.ExitCode, blocked.ToString());
        StringAssert.Contains(blocked.Stderr, "CM4100");
    }

    [TestMethod]
    public async Task Lock_mismatch_exits_5_and_the_plugin_is_never_started()
    {
        using var go = GoPluginRun.Create();
        var lockPath = Path.Combine(go.Layout.Root, ".configmanager", "plugins.lock.json");
        await File.WriteAllTextAsync(lockPath, "{\"plugins\":{\"gotest\":{\"sha256\":\"" + new string('0', 64) + "\"}}}");

        var run = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x", "-p", "stdout");

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "CM2004");
    }

    [TestMethod]
    public async Task Init_pins_then_retrieve_runs_against_the_lock()
    {
        using var go = GoPluginRun.Create();
        var release = Path.GetDirectoryName(go.Layout.PluginPath("GOTEST"))!;

        // Pin the installed plugin (no --source: verify what is there and record it), then use it.
        var init = await go.RunAsync("init", "--plugin", "gotest");
        Assert.AreEqual(0, init.ExitCode, init.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(go.Layout.Root, ".configmanager", "plugins.lock.json")));
        Assert.IsTrue(Directory.Exists(release));

        var run = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/pinned", "-p", "stdout");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("export PINNED='pinned'\n", run.Stdout);
    }

    [TestMethod]
    [DataRow("INT")]
    [DataRow("TERM")]
    [DataRow("HUP")]
    public async Task Ctrl_c_or_sigterm_cancels_shuts_the_plugin_down_and_exits_130(string signal)
    {
        if (TestSupport.InheritedSignals.IsIgnored(signal))
        {
            Assert.Inconclusive($"SIG{signal} is ignored in this test run (nohup for HUP, a shell's background job for INT), so the tool inherits it ignored and rightly keeps ignoring it.");
        }

        using var go = GoPluginRun.Create();
        var tmp = Directory.CreateTempSubdirectory("cm-tool-tmp-").FullName;
        var options = new ToolRunOptions
        {
            Environment = { ["TMPDIR"] = tmp },
            OnStarted = async process =>
            {
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (TestSupport.ProcessTable.Find(go.Binary).Count == 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }

                await Task.Delay(300);
                using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                await kill.WaitForExitAsync();
            },
        };

        var started = Stopwatch.StartNew();
        var run = await go.RunAsync(options, "retrieve", "-t", "GOTEST:///sleep/30000", "-p", "stdout");

        Assert.AreEqual(130, run.ExitCode, run.ToString());
        Assert.IsTrue(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
        StringAssert.Contains(run.Stderr, "CM5057");
        // The runtime's clr-debug-pipe-*/dotnet-diagnostic-* files and the plugin's socket folder go with a handled exit.
        var left = Directory.GetFileSystemEntries(tmp);
        Directory.Delete(tmp, recursive: true);
        Assert.AreEqual(0, left.Length, "left in TMPDIR: " + string.Join(", ", left));
    }
}
