using ConfigManager.Tool;
using ConfigManager.Tool.Terminal;

// First: a closed fd 0-2 would abort the console set-up or let the next opened file receive the output.
StandardDescriptors.EnsureOpen();
using var shutdown = new ShutdownSignal();
var exitCode = await ToolCommandLine.RunAsync(args, ToolConsole.ForProcess(), shutdown.Token);
return shutdown.Requested && exitCode == ExitCodes.Ok ? ExitCodes.Cancelled : exitCode;
