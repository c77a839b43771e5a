using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Output;

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
}
