using ConfigManager.Core;
using ConfigManager.Core.Native;
using ConfigManager.Core.Plugins;

namespace ConfigManager.Tasks.Plugins;

/// <summary>
/// On a musl host (Alpine SDK images), plugins named for linux but linked against glibc cannot start: the kernel finds
/// no /lib64/ld-linux-*.so and the launch fails with a bare "not found". Refuse such a plugin before launch (CM4054).
/// </summary>
internal static class MuslPluginCheck
{
    public const string Code = "CM4054";

    /// <summary>One message per plugin that the sources' tokens would launch and that cannot run here; empty when all can.</summary>
    public static IReadOnlyList<(string Message, string PluginPath)> Problems(
        IEnumerable<string> sourceTexts, EngineOptions engineOptions, PluginLocator locator, bool muslHost, string hostRid)
    {
        if (!muslHost)
        {
            return [];
        }

        // A grammar error yields no tokens here; the resolve reports it.
        var documents = sourceTexts.Select(t => new SourceDocument(string.Empty, t)).ToArray();
        var prefixes = TokenEngine.Scan(documents, engineOptions).Tokens.Select(t => t.Prefix).Distinct(StringComparer.Ordinal);
        var problems = new List<(string, string)>();
        foreach (var prefix in prefixes.Order(StringComparer.Ordinal))
        {
            if (locator.Find(prefix).Path is not { } path || ElfInterpreter.LibcOf(path) != ElfLibc.Glibc)
            {
                continue;
            }

            var rid = "linux-musl-" + GoPlatform.DotnetArch;
            problems.Add((
                $"this build runs on a musl C library ({hostRid}, e.g. an Alpine SDK image), but the plugin for prefix {prefix} at {path} "
                + $"is linked against glibc (its loader is {ElfInterpreter.Of(path)}), so it cannot start here. Use the plugin's {rid} build "
                + $"(a plugin package's runtimes/{rid}, or a static build: CGO_ENABLED=0 go build), or build in a glibc image "
                + "(e.g. mcr.microsoft.com/dotnet/sdk:10.0 instead of :10.0-alpine).",
                path));
        }

        return problems;
    }

    public static bool IsMuslHost() => GoPlatform.IsMusl;
}
