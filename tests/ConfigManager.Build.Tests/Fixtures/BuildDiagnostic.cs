using System.Text.RegularExpressions;

namespace ConfigManager.Build.Tests.Fixtures;

/// <summary>An error or warning as MSBuild prints it: <c>file(line,col): ConfigManager error CM1001: message [project]</c>.</summary>
public sealed partial record BuildDiagnostic(string File, int Line, int Column, string Severity, string Code, string Message)
{
    public static IReadOnlyList<BuildDiagnostic> Parse(string output)
        => DiagnosticLine().Matches(output)
            .Select(m => new BuildDiagnostic(
                m.Groups["file"].Value,
                m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                m.Groups["sev"].Value,
                m.Groups["code"].Value,
                m.Groups["msg"].Value.Trim()))
            .Distinct()
            .ToArray();

    [GeneratedRegex(@"^\s*(?<file>[^\s(][^(\r\n]*?)(?:\((?<line>\d+),(?<col>\d+)\))?\s*: (?:ConfigManager )?(?<sev>error|warning) (?<code>CM\d{4}): (?<msg>[^\r\n]*?)(?: \[[^\]]+\])?\r?$", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();
}
