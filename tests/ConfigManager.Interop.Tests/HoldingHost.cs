using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>tests/testassets/HoldingHost: a .NET process that hosts one plugin, prints a value, then holds until killed.</summary>
internal static class HoldingHost
{
    /// <summary>The executable, copied beside the tests by the project reference.</summary>
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "holdinghost");

    /// <summary>Arguments that make it fetch <paramref name="token"/> from the <paramref name="prefix"/> plugin of <paramref name="layout"/>.</summary>
    public static IEnumerable<string> Arguments(PluginLayout layout, string prefix, string token, bool mtls) =>
        mtls ? [layout.Root, prefix, token, "mtls"] : [layout.Root, prefix, token];
}
