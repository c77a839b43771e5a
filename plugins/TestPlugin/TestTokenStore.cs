using System.Globalization;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Logging;

namespace ConfigManager.Plugins.TestPlugin;

/// <summary>The test-plugin contract: behaviour chosen by the token's first segment (echo, json, error, ...).</summary>
internal sealed class TestTokenStore : ITokenStore
{
    private const string JsonDocument = """{"user":"alice","password":"s3cr3t-json","nested":{"port":5432,"enabled":true},"list":[1,2]}""";

    private readonly PluginLogger _log = new("cstest");

    public async Task<string> GetValueAsync(string token, string metadata, CancellationToken cancellationToken)
    {
        var trimmed = token.TrimStart('/');
        var slash = trimmed.IndexOf('/');
        var behaviour = slash < 0 ? trimmed : trimmed[..slash];
        var rest = slash < 0 ? string.Empty : trimmed[(slash + 1)..];
        switch (behaviour)
        {
            case "echo" when slash >= 0:
                return metadata.Length == 0 ? rest : rest + "#" + metadata;
            case "json" when slash >= 0:
                return JsonDocument;
            case "error" when slash >= 0:
                throw new InvalidOperationException(rest);
            case "sleep" when slash >= 0 && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds):
                await Task.Delay(milliseconds, cancellationToken).ConfigureAwait(false);
                return "slept " + rest;
            case "crash" when slash >= 0:
                Environment.Exit(3);
                return string.Empty;
            case "log" when slash >= 0:
                _log.Info("plugin info line");
                _log.Warn("plugin warn line");
                await Console.Error.WriteAsync("[ERROR] plugin error line\n").ConfigureAwait(false);
                await Console.Error.FlushAsync(cancellationToken).ConfigureAwait(false);
                return "logged";
            case "large" when slash >= 0 && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var length):
                return new string('x', length);
            case "env" when slash >= 0:
                return Environment.GetEnvironmentVariable(rest) ?? throw new KeyNotFoundException($"environment variable {rest} is not set");
            default:
                throw new NotSupportedException("unknown behaviour: " + trimmed);
        }
    }
}
