using System.Globalization;

namespace ConfigManager.PluginSdk.Tests.Support;

/// <summary>Reads /proc to find processes a test left behind.</summary>
internal static class ProcessTable
{
    /// <summary>Live (non-zombie) processes whose parent is <paramref name="parentId"/>.</summary>
    public static IReadOnlyList<int> LiveChildrenOf(int parentId)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // Fields after the parenthesised command name: state ppid ...
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z" && int.Parse(fields[1], CultureInfo.InvariantCulture) == parentId)
            {
                children.Add(pid);
            }
        }

        return children;
    }

    /// <summary>Whether any live process runs <paramref name="executable"/>.</summary>
    public static IReadOnlyList<int> Running(string executable)
    {
        var full = Path.GetFullPath(executable);
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var target = new FileInfo(Path.Combine(directory, "exe")).LinkTarget;
                if (target == full && !File.ReadAllText(Path.Combine(directory, "stat")).Contains(") Z ", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
