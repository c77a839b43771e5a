using ConfigManager.Core;
using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Documents;
using ConfigManager.Core.Plugins;
using ConfigManager.Core.Tokens;
using Microsoft.Build.Framework;

namespace ConfigManager.Tasks;

/// <summary>
/// Warns (CM5004) about settings files that hold tokens but are copied nowhere, so nothing resolves them and the app
/// finds no resolved copy in its output. Only scans (the grammar); never starts a plugin or reads a value.
/// </summary>
public sealed class ReportUncopiedTokenFiles : Microsoft.Build.Utilities.Task
{
    /// <summary>Content/None items not copied to output or publish. Metadata: <c>ConfigManagerItemType</c> (Content or None).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Empty: not copied (CM5004). <c>StaticWebAsset</c>: served publicly as written, so not resolved (CM4055).</summary>
    public string? Reason { get; set; }

    public string TokenSeparator { get; set; } = "://";

    public string KeySeparator { get; set; } = "|";

    public string[] ExtraPrefixes { get; set; } = [];

    public string? PluginDirectory { get; set; }

    public string? WorkingDirectory { get; set; }

    public string? ProjectDirectory { get; set; }

    public override bool Execute()
    {
        TokenGrammar grammar;
        try
        {
            grammar = TokenGrammar.Create(new EngineOptions
            {
                TokenSeparator = TokenSeparator,
                KeySeparator = KeySeparator is { Length: 1 } ? KeySeparator[0] : '|',
                ExtraPrefixes = InstalledAndExtraPrefixes(),
            });
        }
        catch (ConfigManagerException)
        {
            // An invalid separator or prefix is reported (CM1010-CM1012) by the resolve task; a warning about copying adds nothing.
            return true;
        }

        foreach (var file in Files)
        {
            var path = Path.GetFullPath(file.ItemSpec);
            if (DocumentLoader.TryReadText(path) is not { } text)
            {
                continue;
            }

            var tokens = TokenScanner.Scan(text, path, grammar).Tokens;
            if (tokens.Count == 0)
            {
                continue;
            }

            var first = tokens[0];
            if (Reason == "StaticWebAsset")
            {
                Log.LogWarning(
                    "ConfigManager", "CM4055", null, path, first.Line, first.Column, 0, 0,
                    $"'{file.ItemSpec}' is a static web asset: it is served to every browser as written, so its {tokens.Count} token(s) (first: \"{first.Text}\") are not resolved; a secret resolved there would be public. Move the setting to the server project's appsettings.json (resolved at build) and give the client what it needs through an API; for a non-secret value, write it in the file. Resolving static web assets is not supported (ConfigManagerResolveStaticWebAssets=true is refused with CM4056).");
                continue;
            }


            var itemType = file.GetMetadata("ConfigManagerItemType") is { Length: > 0 } type ? type : "None";
            var include = file.GetMetadata("Filename") + file.GetMetadata("Extension");
            Log.LogWarning(
                "ConfigManager", "CM5004", null, path, first.Line, first.Column, 0, 0,
                $"'{file.ItemSpec}' holds {tokens.Count} token(s) (first: \"{first.Text}\") but is not copied to the output or publish folder, so no resolved copy is made and the app will not find it. Add this line to an <ItemGroup> of the project: <{itemType} Update=\"{include}\" CopyToOutputDirectory=\"PreserveNewest\" />");
        }

        return true;
    }

    private string[] InstalledAndExtraPrefixes()
    {
        var extra = ExtraPrefixes.SelectMany(p => p.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var workingDirectory = string.IsNullOrWhiteSpace(WorkingDirectory) ? ResolveConfigTokens.NearestConfigManagerFolder(ProjectDirectory) : Path.GetFullPath(WorkingDirectory);
        var pluginDirectory = string.IsNullOrWhiteSpace(PluginDirectory) ? null : PluginDirectory;
        var installed = new PluginLocator(pluginDirectory, workingDirectory, new Core.GoPlugin.PluginHostOptions().HomeDirectory).InstalledPrefixes();
        return extra.Select(p => p.ToUpperInvariant()).Concat(installed).Distinct(StringComparer.Ordinal).ToArray();
    }
}
