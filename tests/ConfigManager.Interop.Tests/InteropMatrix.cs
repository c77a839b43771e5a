using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>
/// The data rows of the interop suite: every test plugin implementation, with and without AutoMTLS.
/// A kind that cannot be built here makes its rows Inconclusive (see <see cref="TestPlugins.BinaryPath"/>).
/// </summary>
public static class InteropMatrix
{
    public static IEnumerable<TestPluginKind> Kinds => Enum.GetValues<TestPluginKind>();

    /// <summary>(kind, mtls) for every kind.</summary>
    public static IEnumerable<object[]> KindsAndMtls =>
        Kinds.SelectMany(kind => new[] { new object[] { kind, false }, new object[] { kind, true } });

    /// <summary>(kind) for every kind.</summary>
    public static IEnumerable<object[]> KindsOnly => Kinds.Select(kind => new object[] { kind });

    /// <summary>(kind, mtls, CMTEST_MODE, expected code, a phrase the message must contain).</summary>
    public static IEnumerable<object[]> StartupMisbehaviours =>
        from kind in Kinds
        from mtls in new[] { false, true }
        from row in new[]
        {
            ("exit", "CM2011", "refusing to start"),
            ("garbage", "CM2013", "hello world"),
            ("blank", "CM2013", "very first line"),
            ("badcore", "CM2014", "core protocol 2"),
            ("badapp", "CM2015", "\"99\""),
            ("badnet", "CM2016", "carrier-pigeon"),
            ("badproto", "CM2017", "netrpc"),
        }
        select new object[] { kind, mtls, row.Item1, row.Item2, row.Item3 };

    /// <summary>(kind, how the plugin's PLUGIN_CLIENT_CERT is spoiled).</summary>
    public static IEnumerable<object[]> CertificateRefusals =>
        Kinds.SelectMany(kind => new[] { new object[] { kind, "other" }, new object[] { kind, "garbage" } });

    /// <summary>(kind, mtls, signal sent to the .NET host process).</summary>
    public static IEnumerable<object[]> Signals =>
        from kind in Kinds
        from mtls in new[] { false, true }
        from signal in new[] { "INT", "TERM", "HUP" }
        select new object[] { kind, mtls, signal };

    public static string Name(System.Reflection.MethodInfo method, object[] data) =>
        $"{method.Name}({string.Join(", ", data)})";
}
