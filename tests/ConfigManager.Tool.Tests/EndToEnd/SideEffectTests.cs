using System.Diagnostics;
using ConfigManager.Tool.Tests.Support;

namespace ConfigManager.Tool.Tests.EndToEnd;

/// <summary>Failing runs leave the file system as they found it, and a result that cannot be written whole is an error.</summary>
[TestClass]
public sealed class SideEffectTests
{
    [TestMethod]
    public async Task A_missing_TMPDIR_is_a_plugin_start_error_and_is_not_created()
    {
        using var go = GoPluginRun.Create();
        var tmp = Path.Combine(go.WorkDirectory, "no-such", "tmp");

        var run = await go.RunAsync(new ToolRunOptions { Environment = { ["TMPDIR"] = tmp } }, "retrieve", "-t", "GOTEST:///echo/x", "-p", "stdout");

        Assert.AreEqual(4, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM2010");
        StringAssert.Contains(run.Stderr, "(TMPDIR) does not exist");
        Assert.IsFalse(Directory.Exists(Path.Combine(go.WorkDirectory, "no-such")), "TMPDIR and its parent were not created");
    }

    [TestMethod]
    public async Task An_output_path_ending_in_a_slash_fails_and_creates_no_folder()
    {
        using var go = GoPluginRun.Create();

        var run = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x", "-p", "out/newdir/");

        Assert.AreEqual(6, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "error CM4100");
        Assert.IsFalse(Directory.Exists(go.PathIn("out")), "out/ and out/newdir/ were not created");
    }

    [TestMethod]
    [DataRow("closed", ">&-")]
    [DataRow("full disk", "> /dev/full")]
    [DataRow("broken pipe", "| head -c 1 > /dev/null")]
    public async Task Stdout_that_cannot_take_the_result_is_CM4100_exit_6(string what, string redirect)
    {
        using var go = GoPluginRun.Create();
        // A megabyte of output: more than a pipe holds, so the reader's early exit is seen as EPIPE.
        await File.WriteAllTextAsync(go.PathIn("big.txt"), "v=GOTEST:///echo/x\n" + new string('x', 1 << 20) + "\n");
        var exe = await InstalledTool.PathAsync();

        var (exitCode, stderr) = await RunShellAsync(go.WorkDirectory, $"set -o pipefail; '{exe}' string-input -i big.txt -p stdout --plugin-dir '{go.Layout.Root}' {redirect}");

        Assert.AreEqual(6, exitCode, $"{what}: {stderr}");
        StringAssert.Contains(stderr, "error CM4100: Cannot write the result to standard output", what);
        Assert.IsFalse(stderr.Contains("CM5099", StringComparison.Ordinal), stderr);
    }

    [TestMethod]
    public async Task A_plugin_outside_the_trusted_roots_is_CM2041_exit_5_and_inside_it_runs()
    {
        using var go = GoPluginRun.Create();
        var elsewhere = Directory.CreateTempSubdirectory("cm-trusted-").FullName;
        try
        {
            var refused = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x", "-p", "stdout", "--trusted-plugin-root", elsewhere);

            Assert.AreEqual(5, refused.ExitCode, refused.ToString());
            StringAssert.Contains(refused.Stderr, "error CM2041");
            StringAssert.Contains(refused.Stderr, "is outside the trusted plugin roots");
            Assert.AreEqual(string.Empty, refused.Stdout);

            // The layout's plugin is a symbolic link to the Go test plugin: its real path is what is checked.
            var trusted = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x", "-p", "stdout", "--trusted-plugin-root", elsewhere, "--trusted-plugin-root", Path.GetDirectoryName(go.Binary)!);

            Assert.AreEqual(0, trusted.ExitCode, trusted.ToString());
            Assert.AreEqual("export X='x'\n", trusted.Stdout);

            var layoutOnly = await go.RunAsync("retrieve", "-t", "GOTEST:///echo/x", "-p", "stdout", "--trusted-plugin-root", go.Layout.Root);
            Assert.AreEqual(5, layoutOnly.ExitCode, "a link inside a root to a binary outside it is refused: " + layoutOnly);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Stderr)> RunShellAsync(string workingDirectory, string script)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.Environment.Remove("CONFIGMANAGER_DIR");
        psi.Environment["HOME"] = workingDirectory;
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stderr);
    }
}
