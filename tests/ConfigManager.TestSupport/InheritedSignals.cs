using System.Diagnostics;
using ConfigManager.Core.Native;

namespace ConfigManager.TestSupport;

/// <summary>
/// Signal tests send a signal to a child and expect the child's default reaction, but a child inherits ignored
/// signals: under <c>nohup</c> SIGHUP is ignored, and a non-interactive shell's background job (<c>cmd &amp;</c>)
/// ignores SIGINT and SIGQUIT. Programs rightly keep an inherited SIG_IGN, so the tests reset it for the child,
/// as a terminal session would have it.
/// </summary>
public static class InheritedSignals
{
    /// <summary>The Linux number of a signal named as <c>kill -NAME</c> takes it.</summary>
    public static int Number(string name) => name switch
    {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "TERM" => 15,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "add the signal's number here"),
    };

    /// <summary>True when this test process ignores <paramref name="name"/>, so a child would start ignoring it too.</summary>
    public static bool IsIgnored(string name) => SignalDisposition.IsIgnored(Number(name));

    /// <summary>
    /// When this process ignores <paramref name="name"/>, runs <paramref name="startInfo"/>'s program through
    /// <c>env --default-signal=NAME</c> (coreutils 8.31 or later) so that it starts with the default disposition.
    /// Call before adding the program's own arguments.
    /// </summary>
    public static void StartWithDefault(ProcessStartInfo startInfo, string name)
    {
        if (!IsIgnored(name))
        {
            return;
        }

        if (startInfo.ArgumentList.Count != 0 || startInfo.Arguments.Length != 0)
        {
            throw new InvalidOperationException("Call StartWithDefault before adding the program's arguments.");
        }

        var program = startInfo.FileName;
        startInfo.FileName = "env";
        startInfo.ArgumentList.Add("--default-signal=" + name);
        startInfo.ArgumentList.Add(program);
    }
}
