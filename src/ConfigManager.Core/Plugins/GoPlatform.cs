using System.Runtime.InteropServices;

namespace ConfigManager.Core.Plugins;

/// <summary>The running platform as Go names it (GOOS, GOARCH), which is how plugin binaries are named.</summary>
public static class GoPlatform
{
    /// <summary><c>linux</c>, <c>darwin</c>, <c>windows</c> or <c>freebsd</c>.</summary>
    public static string Os { get; } =
        OperatingSystem.IsWindows() ? "windows"
        : OperatingSystem.IsMacOS() ? "darwin"
        : OperatingSystem.IsFreeBSD() ? "freebsd"
        : "linux";

    /// <summary><c>amd64</c>, <c>arm64</c>, <c>386</c> or <c>arm</c>.</summary>
    public static string Arch { get; } = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The executable name of a plugin for this platform: <c>&lt;p&gt;-&lt;goos&gt;-&lt;goarch&gt;[.exe]</c>.</summary>
    public static string PluginFileName(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}-{Os}-{Arch}";
        return OperatingSystem.IsWindows() ? name + ".exe" : name;
    }
}
