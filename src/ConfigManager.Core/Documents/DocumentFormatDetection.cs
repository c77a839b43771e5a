namespace ConfigManager.Core.Documents;

/// <summary>Picks the escaping rules for a document: the declared format, else its file extension.</summary>
public static class DocumentFormatDetection
{
    private static readonly HashSet<string> s_xmlExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".xml", ".config", ".csproj", ".vbproj", ".fsproj", ".proj", ".props", ".targets", ".resx", ".nuspec", ".xaml", ".xsd", ".xslt", ".manifest",
    };

    // Template suffixes configmanager users put on inputs (input.yml.cm): look at the extension before them.
    private static readonly HashSet<string> s_templateExtensions = new(StringComparer.OrdinalIgnoreCase) { ".cm", ".tmpl", ".template", ".tpl" };

    public static DocumentFormat Detect(string path, DocumentFormat declared = DocumentFormat.Auto)
    {
        if (declared != DocumentFormat.Auto)
        {
            return declared;
        }

        path ??= "";
        var extension = Path.GetExtension(path);
        if (s_templateExtensions.Contains(extension))
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

        return s_xmlExtensions.Contains(extension) ? DocumentFormat.Xml : DocumentFormat.Text;
    }
}
