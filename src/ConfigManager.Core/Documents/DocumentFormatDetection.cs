namespace ConfigManager.Core.Documents;

/// <summary>Picks the escaping rules for a document: the declared format, else its file extension.</summary>
public static class DocumentFormatDetection
{
    private static readonly HashSet<string> XmlExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".xml", ".config", ".csproj", ".vbproj", ".fsproj", ".proj", ".props", ".targets", ".resx", ".nuspec", ".xaml", ".xsd", ".xslt", ".manifest",
    };

    // Template suffixes configmanager users put on inputs (input.yml.cm): look at the extension before them.
    private static readonly HashSet<string> TemplateExtensions = new(StringComparer.OrdinalIgnoreCase) { ".cm", ".tmpl", ".template", ".tpl" };

    public static DocumentFormat Detect(string path, DocumentFormat declared = DocumentFormat.Auto)
    {
        if (declared != DocumentFormat.Auto)
        {
            return declared;
        }

        path ??= "";
        var extension = Path.GetExtension(path);
        if (TemplateExtensions.Contains(extension))
        {
            extension = Path.GetExtension(Path.GetFileNameWithoutExtension(path));
        }

        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return DocumentFormat.Json;
        }

        if (extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return DocumentFormat.Yaml;
        }

        return XmlExtensions.Contains(extension) ? DocumentFormat.Xml : DocumentFormat.Text;
    }
}
