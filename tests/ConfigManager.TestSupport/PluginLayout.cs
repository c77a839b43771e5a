using System.Security.Cryptography;

namespace ConfigManager.TestSupport;

/// <summary>
/// A temporary <c>&lt;root&gt;/.configmanager/plugins/&lt;p&gt;/&lt;p&gt;-linux-amd64</c> tree; pass <see cref="Root"/> as
/// PluginHostOptions.PluginDirectory. Deleted on dispose.
/// </summary>
public sealed class PluginLayout : IDisposable
{
    private PluginLayout(string root) => Root = root;

    /// <summary>The directory that holds <c>.configmanager/plugins</c>.</summary>
    public string Root { get; }

    /// <summary>An empty layout (no plugin installed).</summary>
    public static PluginLayout Empty()
    {
        var root = Path.Combine(Path.GetTempPath(), "cmtest-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant());
        Directory.CreateDirectory(Path.Combine(root, ".configmanager", "plugins"));
        return new PluginLayout(root);
    }

    /// <summary>A layout whose plugin for <paramref name="prefix"/> is a symlink to <paramref name="binary"/>.</summary>
    public static PluginLayout WithSymlink(string prefix, string binary)
    {
        var layout = Empty();
        layout.InstallSymlink(prefix, binary);
        return layout;
    }

    /// <summary>
    /// A layout whose plugin is a <c>#!/bin/sh</c> wrapper that sets CMTEST_MODE (when given) and runs
    /// <paramref name="binary"/> via <paramref name="execLine"/> (default: <c>exec "$BIN"</c>).
    /// </summary>
    public static PluginLayout WithWrapper(string prefix, string binary, string? mode = null, string? execLine = null)
    {
        var layout = Empty();
        layout.InstallWrapper(prefix, binary, mode, execLine);
        return layout;
    }

    /// <summary>Where the plugin for <paramref name="prefix"/> lives in this layout (Linux/amd64 naming).</summary>
    public string PluginPath(string prefix)
    {
        var p = prefix.ToLowerInvariant();
        return Path.Combine(Root, ".configmanager", "plugins", p, $"{p}-{GoPlatformName()}");
    }

    public string InstallSymlink(string prefix, string binary)
    {
        var path = Prepare(prefix);
        File.CreateSymbolicLink(path, binary);
        return path;
    }

    public string InstallCopy(string prefix, string binary)
    {
        var path = Prepare(prefix);
        File.Copy(binary, path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(binary));
        }

        return path;
    }

    public string InstallWrapper(string prefix, string binary, string? mode = null, string? execLine = null)
    {
        var path = Prepare(prefix);
        var script = "#!/bin/sh\n"
            + $"BIN='{binary.Replace("'", "'\\''", StringComparison.Ordinal)}'\n"
            + (mode is null ? string.Empty : $"CMTEST_MODE={mode}\nexport CMTEST_MODE\n")
            + (execLine ?? "exec \"$BIN\" \"$@\"") + "\n";
        File.WriteAllText(path, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>A plain file without execute permission.</summary>
    public string InstallNotExecutable(string prefix)
    {
        var path = Prepare(prefix);
        File.WriteAllText(path, "#!/bin/sh\necho not really a plugin\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }

    private string Prepare(string prefix)
    {
        var path = PluginPath(prefix);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private static string GoPlatformName()
    {
        var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            _ => "amd64",
        };
        return OperatingSystem.IsWindows() ? $"{os}-{arch}.exe" : $"{os}-{arch}";
    }
}
