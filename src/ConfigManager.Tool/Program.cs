using ConfigManager.Tool;
using ConfigManager.Tool.Console;

using var shutdown = new ShutdownSignal();
var exitCode = await ToolCommandLine.RunAsync(args, ToolConsole.ForProcess(), shutdown.Token);
return shutdown.Requested && exitCode == ExitCodes.Ok ? ExitCodes.Cancelled : exitCode;
