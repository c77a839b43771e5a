using System.Runtime.InteropServices;
using ConfigManager.Core.Native;

namespace ConfigManager.Core.Plugins;

/// <summary>
/// The running platform as plugin binaries name it (Go's GOOS, GOARCH) and as plugin packages name it (.NET's portable
/// runtime identifier): the one place that maps the OS and architecture to either name.
/// </summary>
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

    /// <summary>True on a musl C library (Alpine): the running .NET's RID is linux-musl-*, or a musl loader is present.</summary>
    public static bool IsMusl { get; } = OperatingSystem.IsLinux() && ElfInterpreter.IsMuslHost(RuntimeInformation.RuntimeIdentifier);

    /// <summary><c>x64</c>, <c>arm64</c>, <c>x86</c> or <c>arm</c>: the architecture part of a .NET runtime identifier.</summary>
    public static string DotnetArch { get; } = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "x86",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>This machine's portable RID as NuGet packages name it: linux-x64, linux-musl-x64, osx-arm64, win-x64, ...</summary>
    public static string RuntimeIdentifier { get; } =
        (OperatingSystem.IsWindows() ? "win"
        : OperatingSystem.IsMacOS() ? "osx"
        : OperatingSystem.IsFreeBSD() ? "freebsd"
        : IsMusl ? "linux-musl"
        : "linux") + "-" + DotnetArch;

    /// <summary>The executable name of a plugin for this platform: <c>&lt;p&gt;-&lt;goos&gt;-&lt;goarch&gt;[.exe]</c>.</summary>
    public static string PluginFileName(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}-{Os}-{Arch}";
        return OperatingSystem.IsWindows() ? name + ".exe" : name;
    }
}
