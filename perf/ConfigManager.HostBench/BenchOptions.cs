using System.Globalization;

namespace ConfigManager.HostBench;

/// <summary>gohost's flags: -plugin, -mtls, -token, -metadata, -bench, -n, -c (plus -hold).</summary>
internal sealed record BenchOptions(string PluginPath, bool Mtls, string Token, string Metadata, string? Bench, int N, int C, bool Hold)
{
    public static BenchOptions? Parse(string[] args)
    {
        string? plugin = null, bench = null;
        string token = "echo/bench", metadata = string.Empty;
        bool mtls = false, hold = false;
        int n = 0, c = 16;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i].TrimStart('-');
            string Next() => ++i < args.Length ? args[i] : throw new ArgumentException($"-{flag} needs a value");
            switch (flag)
            {
                case "plugin": plugin = Next(); break;
                case "mtls" or "mtls=true": mtls = true; break;
                case "mtls=false": mtls = false; break;
                case "token": token = Next(); break;
                case "metadata": metadata = Next(); break;
                case "bench": bench = Next(); break;
                case "n": n = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "c": c = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "hold": hold = true; break;
                default: return null;
            }
        }

        if (plugin is null)
        {
            return null;
        }

        n = n > 0 ? n : bench switch { "launch" => 20, "seq" => 1000, _ => 10000 };
        return new BenchOptions(Path.GetFullPath(plugin), mtls, token, metadata, bench, n, c, hold);
    }
}
