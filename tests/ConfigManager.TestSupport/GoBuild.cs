using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ConfigManager.TestSupport;

/// <summary>
/// Builds the Go test plugin (plugins/go) and the Go host (perf/gohost) once per test run with
/// plugins/go/build.sh, into artifacts/go; rebuilds only when their sources change. Without Go the
/// calling test is Inconclusive, or fails when CONFIGMANAGER_REQUIRE_GO_INTEROP=1 (CI).
/// </summary>
public static class GoBuild
{
    /// <summary>Set to 1 in CI: a missing Go toolchain fails the test instead of skipping it.</summary>
    public const string RequireVariable = "CONFIGMANAGER_REQUIRE_GO_INTEROP";

    private static readonly Lazy<GoBinaries?> s_binaries = new(BuildOrReuse, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? s_unavailable;

    /// <summary>The built binaries; skips (or fails, under CI) the calling test when Go is unavailable.</summary>
    public static GoBinaries Require()
    {
        var binaries = s_binaries.Value;
        if (binaries is not null)
        {
            return binaries;
        }

        SkipOrFail(s_unavailable ?? "Go binaries unavailable");
        throw new UnreachableException();
    }

    /// <summary>Marks the calling test Inconclusive, or failed when <see cref="RequireVariable"/>=1 (CI).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void SkipOrFail(string why)
    {
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail($"{why} ({RequireVariable}=1, so this is a failure).");
        }

        Assert.Inconclusive(why);
        throw new UnreachableException();
    }

    /// <summary>Folder of the Go build outputs (artifacts/go).</summary>
    public static string OutputDirectory => Path.Combine(RepoPaths.Artifacts, "go");

    private static GoBinaries? BuildOrReuse()
    {
        // Only a missing Go skips; a missing protoc/protoc-gen-go or go-plugin makes build.sh fail loudly.
        if (FindOnPath("go") is null)
        {
            s_unavailable = "Go is not installed (needed to build plugins/go and perf/gohost)";
            return null;
        }

        var output = OutputDirectory;
        Directory.CreateDirectory(output);
        var binaries = new GoBinaries(Path.Combine(output, "testplugin"), Path.Combine(output, "gohost"));
        var stampPath = Path.Combine(output, "sources.sha256");
        var stamp = SourceStamp();

        // Test projects may run in parallel processes: one builds, the others wait on the lock file.
        using var buildLock = AcquireLock(Path.Combine(output, ".build.lock"));
        if (File.Exists(binaries.TestPlugin) && File.Exists(binaries.GoHost) && File.Exists(stampPath) && File.ReadAllText(stampPath) == stamp)
        {
            return binaries;
        }

        var script = Path.Combine(RepoPaths.Root, "plugins", "go", "build.sh");
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { script, output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(HangGuard.Limit(TimeSpan.FromMinutes(5))))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("plugins/go/build.sh took longer than 5 minutes.");
        }

        if (process.ExitCode != 0)
        {
            // A broken Go build is a real failure, never a skip.
            throw new InvalidOperationException($"plugins/go/build.sh failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }

        File.WriteAllText(stampPath, stamp);
        return binaries;
    }

    private static string SourceStamp()
    {
        var root = RepoPaths.Root;
        var files = new[] { Path.Combine(root, "plugins", "go"), Path.Combine(root, "perf", "gohost") }
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "proto", "token_store.proto"))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file) + "\0"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(6);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
