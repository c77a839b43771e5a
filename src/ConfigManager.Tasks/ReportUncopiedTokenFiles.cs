using ConfigManager.Core;
using ConfigManager.Core.Documents;
using Microsoft.Build.Framework;

namespace ConfigManager.Tasks;

/// <summary>
/// Warns (CM5004) about settings files that hold tokens but are copied nowhere, so nothing resolves them and the app
/// finds no resolved copy in its output. Only scans (the grammar); never starts a plugin or reads a value.
/// </summary>
public sealed class ReportUncopiedTokenFiles : SettingsTask
{
    /// <summary>Content/None items not copied to output or publish. Metadata: <c>ConfigManagerItemType</c> (Content or None).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Empty: not copied (CM5004). <c>StaticWebAsset</c>: served publicly as written, so not resolved (CM4055).</summary>
    public string? Reason { get; set; }

    public override bool Execute()
    {
        var mapped = Settings().Map();
        if (!mapped.Succeeded)
        {
            // An invalid setting is reported (CM5002) by the resolve task; a warning about copying adds nothing.
            return true;
        }

        foreach (var file in Files)
        {
            var path = Path.GetFullPath(file.ItemSpec);
            if (DocumentLoader.TryReadText(path) is not { } text)
            {
                continue;
            }

            var tokens = TokenEngine.Scan([new SourceDocument(path, text)], mapped.Engine).Tokens;
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
}
