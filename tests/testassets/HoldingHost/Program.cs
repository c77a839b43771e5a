// holdinghost PLUGIN_DIRECTORY PREFIX TOKEN [mtls]: hosts the plugin installed for PREFIX under PLUGIN_DIRECTORY
// (a .configmanager/plugins layout), prints the value of TOKEN, then waits until a signal or SIGKILL ends the process.
using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;
using ConfigManager.Core.Resolution;

if (args.Length is < 3 or > 4 || (args.Length == 4 && args[3] != "mtls"))
{
    Console.Error.WriteLine("usage: holdinghost PLUGIN_DIRECTORY PREFIX TOKEN [mtls]");
    return 2;
}

var root = args[0];
var options = new PluginHostOptions { PluginDirectory = root, WorkingDirectory = root, HomeDirectory = root, AutoMtls = args.Length == 4 };
await using var host = new PluginHost(options, new StderrLogSink(), new SecretMask());
Console.WriteLine(await host.GetValueAsync(new ValueRequest(args[1], args[2], ""), CancellationToken.None));

// The point of this process: it is ended by a signal, never by disposing the host.
await Task.Delay(Timeout.Infinite);
return 0;

/// <summary>The host's log on stderr, which the tests show when the value line does not come.</summary>
internal sealed class StderrLogSink : ILogSink
{
    public void Log(LogLevel level, string message) => Console.Error.WriteLine($"[{level}] {message}");
}
