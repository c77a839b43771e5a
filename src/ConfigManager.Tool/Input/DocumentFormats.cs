using ConfigManager.Core;
using ConfigManager.Core.Documents;

namespace ConfigManager.Tool.Input;

/// <summary>Names and file extensions of <see cref="DocumentFormat"/>s, as the command line spells them.</summary>
public static class DocumentFormats
{
    /// <summary>The names <c>--format</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "json", "xml", "yaml", "text"];

    /// <summary>By extension, as the engine detects it (.json, .yaml/.yml, .xml/.config/.csproj/..., else text; .cm/.tmpl look one further).</summary>
    public static DocumentFormat FromExtension(string path) => DocumentFormatDetection.Detect(path);

    /// <summary>Parses a <c>--format</c> value (case-insensitive; <c>yml</c> and <c>txt</c> accepted).</summary>
    public static bool TryParse(string name, out DocumentFormat format)
    {
        format = name.ToLowerInvariant() switch
        {
            "auto" => DocumentFormat.Auto,
            "json" => DocumentFormat.Json,
            "xml" => DocumentFormat.Xml,
            "yaml" or "yml" => DocumentFormat.Yaml,
            "text" or "txt" => DocumentFormat.Text,
            _ => (DocumentFormat)(-1),
        };
        return Enum.IsDefined(format);
    }
}
