using System.Runtime.InteropServices;

namespace ConfigManager.Core.Install;

/// <summary>The operating system and architecture as Go names them (plugin file names use these).</summary>
public sealed record PluginPlatform(string GoOs, string GoArch)
{
    public static PluginPlatform Current { get; } = new(
        OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsFreeBSD() ? "freebsd" : "linux",
        RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "386",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        });

    /// <summary><c>&lt;prefix&gt;-&lt;goos&gt;-&lt;goarch&gt;</c>, lower-case prefix, <c>.exe</c> on Windows.</summary>
    public string FileNameFor(string prefix)
        => $"{prefix.ToLowerInvariant()}-{GoOs}-{GoArch}" + (GoOs == "windows" ? ".exe" : string.Empty);

    public override string ToString() => $"{GoOs}-{GoArch}";
}
