using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Output;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool.Tests.Output;

[TestClass]
public sealed class AtomicFileTests
{
    private string _dir = null!;

    [TestInitialize]
    public void Setup() => _dir = Directory.CreateTempSubdirectory("cm-atomic-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [TestMethod]
    public async Task Secret_file_is_created_with_mode_0600()
    {
        var path = Path.Combine(_dir, "app.env");
        await AtomicFile.WriteTextAsync(path, "export A='1'\n", AtomicFile.SecretMode, CancellationToken.None);
        Assert.AreEqual("export A='1'\n", await File.ReadAllTextAsync(path));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [TestMethod]
    public async Task Replacing_a_world_readable_file_leaves_it_0600()
    {
        var path = Path.Combine(_dir, "app.env");
        await File.WriteAllTextAsync(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        await AtomicFile.WriteTextAsync(path, "new", AtomicFile.SecretMode, CancellationToken.None);
        Assert.AreEqual("new", await File.ReadAllTextAsync(path));
        Assert.AreEqual(AtomicFile.SecretMode, File.GetUnixFileMode(path));
    }

    [TestMethod]
    public async Task Failure_while_writing_leaves_the_target_untouched_and_no_temp_file()
    {
        var path = Path.Combine(_dir, "settings.json");
        await File.WriteAllTextAsync(path, "original");
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => AtomicFile.WriteAsync(
            path,
            async (stream, ct) =>
            {
                await stream.WriteAsync("partial"u8.ToArray(), ct);
                throw new InvalidOperationException("boom");
            },
            AtomicFile.SecretMode,
            CancellationToken.None));
        Assert.AreEqual("original", await File.ReadAllTextAsync(path));
        CollectionAssert.AreEqual(new[] { "settings.json" }, Directory.GetFiles(_dir).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public async Task Unwritable_directory_is_CM4100_naming_the_path()
    {
        var locked = Path.Combine(_dir, "locked");
        Directory.CreateDirectory(locked);
        var path = Path.Combine(locked, "x.env");
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            if (Environment.UserName == "root")
            {
                // root ignores directory permissions; a path under a regular file fails for everyone.
                await File.WriteAllTextAsync(Path.Combine(_dir, "file"), string.Empty);
                path = Path.Combine(_dir, "file", "x.env");
            }

            var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => AtomicFile.WriteTextAsync(path, "secret-value", AtomicFile.SecretMode, CancellationToken.None));
            Assert.AreEqual("CM4100", error.Code);
            StringAssert.Contains(error.Message, "x.env");
            Assert.IsFalse(error.Message.Contains("secret-value", StringComparison.Ordinal));
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [TestMethod]
    public async Task Cancellation_leaves_no_file()
    {
        var path = Path.Combine(_dir, "app.env");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => AtomicFile.WriteTextAsync(path, "x", AtomicFile.SecretMode, cancelled.Token));
        Assert.AreEqual(0, Directory.GetFiles(_dir).Length);
    }

    [TestMethod]
    [DataRow("fifo")]
    [DataRow("device")]
    [DataRow("link-to-stdout")]
    [DataRow("directory")]
    public async Task Existing_non_regular_target_is_refused_with_CM4103_and_left_as_it_was(string kind)
    {
        var path = Path.Combine(_dir, "target");
        switch (kind)
        {
            case "fifo":
                Run("mkfifo", path);
                break;
            case "device":
                if (Environment.UserName != "root")
                {
                    Assert.Inconclusive("mknod needs root");
                }

                Run("mknod", "-m", "666", path, "c", "1", "3");
                break;
            case "link-to-stdout":
                File.CreateSymbolicLink(path, "/proc/self/fd/1");
                break;
            default:
                Directory.CreateDirectory(path);
                break;
        }

        var before = Describe(path);
        var error = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => AtomicFile.WriteTextAsync(path, "secret-value", AtomicFile.SecretMode, CancellationToken.None));
        Assert.AreEqual("CM4103", error.Code);
        StringAssert.Contains(error.Message, path);
        Assert.IsFalse(error.Message.Contains("secret-value", StringComparison.Ordinal));
        Assert.AreEqual(before, Describe(path), "the target was replaced");
        CollectionAssert.AreEqual(new[] { "target" }, Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).ToArray(), "a temp file was left");
    }

    [TestMethod]
    public async Task Symlink_to_a_regular_file_is_still_written()
    {
        var real = Path.Combine(_dir, "real.env");
        await File.WriteAllTextAsync(real, "old");
        var link = Path.Combine(_dir, "link.env");
        File.CreateSymbolicLink(link, real);
        await AtomicFile.WriteTextAsync(link, "new", AtomicFile.SecretMode, CancellationToken.None);
        Assert.AreEqual("new", await File.ReadAllTextAsync(link));
    }

    private static string Describe(string path) => Run("stat", "-c", "%F %t:%T", path);

    private static string Run(string file, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{file} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }

    [TestMethod]
    public async Task A_path_ending_in_a_separator_is_CM4100_and_creates_no_folder()
    {
        var path = Path.Combine(_dir, "out", "newdir") + "/";

        var refused = await Assert.ThrowsExactlyAsync<ConfigManagerException>(
            () => AtomicFile.WriteTextAsync(path, "x", AtomicFile.SecretMode, CancellationToken.None));

        Assert.AreEqual(ToolErrorCodes.WriteFailed, refused.Code);
        StringAssert.Contains(refused.Message, "names a folder");
        Assert.IsFalse(Directory.Exists(Path.Combine(_dir, "out")), "nothing created");
    }

    [TestMethod]
    public async Task A_failed_write_removes_the_folders_it_created_and_keeps_those_that_were_there()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "kept"));
        File.WriteAllText(Path.Combine(_dir, "kept", "other.txt"), "mine");
        var path = Path.Combine(_dir, "kept", "a", "b", "app.env");

        await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => AtomicFile.WriteAsync(
            path,
            (_, _) => throw new IOException("disk full"),
            AtomicFile.SecretMode,
            CancellationToken.None));

        Assert.IsFalse(Directory.Exists(Path.Combine(_dir, "kept", "a")), "a/ and a/b/ were made by the write and go with it");
        CollectionAssert.AreEqual(new[] { "other.txt" }, Directory.GetFileSystemEntries(Path.Combine(_dir, "kept")).Select(Path.GetFileName).ToArray());
    }
}
