using ConfigManager.Core.GoPlugin;
using ConfigManager.Core.Logging;

namespace ConfigManager.Interop.Tests;

[TestClass]
public sealed class PluginLogLineTests
{
    [TestMethod]
    public void Hclog_json_line_maps_level_message_and_extra_keys()
    {
        var line = PluginLogLine.Parse("{\"@level\":\"warn\",\"@message\":\"slow store\",\"@module\":\"aws\",\"@timestamp\":\"2026-11-25T19:18:10.672807Z\",\"ms\":1200}");
        Assert.AreEqual(LogLevel.Warn, line.Level);
        Assert.AreEqual("slow store @module=aws ms=1200", line.Message);
    }

    [TestMethod]
    [DataRow("[TRACE] a", LogLevel.Trace, "a")]
    [DataRow("[DEBUG] a", LogLevel.Debug, "a")]
    [DataRow("[INFO] a", LogLevel.Info, "a")]
    [DataRow("[WARN] a", LogLevel.Warn, "a")]
    [DataRow("[ERROR] plugin error line", LogLevel.Error, "plugin error line")]
    [DataRow("untagged line\r", LogLevel.Debug, "untagged line")]
    [DataRow("{not json", LogLevel.Debug, "{not json")]
    public void Plain_lines_use_their_level_tag_or_debug(string text, LogLevel level, string message)
    {
        var line = PluginLogLine.Parse(text);
        Assert.AreEqual(level, line.Level);
        Assert.AreEqual(message, line.Message);
    }
}
