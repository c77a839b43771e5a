using System.Text.RegularExpressions;

namespace ConfigManager.Core.Tests.Layering;

/// <summary>
/// docs/ARCHITECTURE.md's "Core, folder by folder" table is the layering rule: every Core folder has a row, and the
/// Core folders a folder's sources name (<c>using ConfigManager.Core.X</c> or a qualified <c>ConfigManager.Core.X.</c>)
/// are among those its row allows. Keeps the document true as the code moves.
/// </summary>
[TestClass]
public sealed partial class ArchitectureTests
{
    private static readonly string s_repo = FindRepo();

    [TestMethod]
    public void Every_core_folder_uses_only_the_folders_its_row_allows()
    {
        var rules = ReadRules();
        var core = Path.Combine(s_repo, "src", "ConfigManager.Core");
        var folders = Directory.EnumerateDirectories(core)
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj"))
            .Cast<string>()
            .ToList();
        var problems = new List<string>();
        foreach (var folder in folders)
        {
            if (!rules.TryGetValue(folder, out var allowed))
            {
                problems.Add($"src/ConfigManager.Core/{folder}/ has no row in docs/ARCHITECTURE.md");
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match use in CoreReference().Matches(File.ReadAllText(file)))
                {
                    var used = use.Groups[1].Value;
                    if (used != folder && folders.Contains(used) && !allowed.Contains(used))
                    {
                        problems.Add($"{Path.GetRelativePath(s_repo, file)} uses {used}/, which the row of {folder}/ does not allow");
                    }
                }
            }
        }

        Assert.IsEmpty(problems, string.Join(Environment.NewLine, problems.Distinct()));
    }

    [TestMethod]
    public void The_rule_table_is_read()
    {
        var rules = ReadRules();
        Assert.IsTrue(rules.ContainsKey("Tokens"));
        CollectionAssert.Contains(rules["Tokens"].ToList(), "Diagnostics");
        CollectionAssert.DoesNotContain(rules["Tokens"].ToList(), "Substitution");
        Assert.IsEmpty(rules["Native"]);
    }

    // | `Folder/` | owns ... | A, B (why), C |
    private static Dictionary<string, HashSet<string>> ReadRules()
    {
        var rules = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(s_repo, "docs", "ARCHITECTURE.md")))
        {
            var row = RuleRow().Match(line);
            if (row.Success)
            {
                var allowed = row.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(entry => entry.Split(' ')[0])
                    .Where(name => name != "—");
                rules[row.Groups[1].Value] = [.. allowed];
            }
        }

        return rules;
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConfigManager.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ConfigManager.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\| `(\w+)/` \|.*\| ([^|]*) \|\s*$")]
    private static partial Regex RuleRow();

    [GeneratedRegex(@"\bConfigManager\.Core\.(\w+)\b")]
    private static partial Regex CoreReference();
}
