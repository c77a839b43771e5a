using System.CommandLine;
using System.Reflection;
using ConfigManager.Core.Plugins;
using ConfigManager.Tool.Terminal;

namespace ConfigManager.Tool.Commands;

/// <summary><c>version</c>: the tool's version, runtime and plugin platform.</summary>
internal static class VersionCommand
{
    public static string Text
    {
        get
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            return $"configmanager {version} (.NET {Environment.Version}, plugins {GoPlatform.Os}-{GoPlatform.Arch})";
        }
    }

    public static Command Create(ToolConsole console)
    {
        var command = new Command("version", "Prints the version of the tool");
        command.SetAction((_, cancellationToken) => console.WriteOutputLineAsync(Text, cancellationToken).ContinueWith(_ => ExitCodes.Ok, TaskScheduler.Default));
        return command;
    }
}
