using ConfigManager.Core;
using ConfigManager.Tool.Input;
using ConfigManager.Tool.Output;

namespace ConfigManager.Tool.Tests.Input;

[TestClass]
public sealed class StringInputTests
{
    [TestMethod]
    public async Task Dash_reads_stdin()
    {
        var input = await StringInput.ReadAsync("-", new StringReader("from stdin"), CancellationToken.None);
        Assert.AreEqual(StringInputKind.Stdin, input.Kind);
        Assert.AreEqual("from stdin", input.Text);
    }

    [TestMethod]
    public async Task Existing_path_is_read_as_a_file_and_anything_else_is_the_text_itself()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "content");
            var fromFile = await StringInput.ReadAsync(file, TextReader.Null, CancellationToken.None);
            Assert.AreEqual(StringInputKind.File, fromFile.Kind);
            Assert.AreEqual("content", fromFile.Text);

            var literal = await StringInput.ReadAsync("AWSSECRETS:///x is not a file", TextReader.Null, CancellationToken.None);
            Assert.AreEqual(StringInputKind.Literal, literal.Kind);
            Assert.AreEqual("AWSSECRETS:///x is not a file", literal.Text);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public async Task Utf8_bom_of_a_file_is_kept_by_its_encoding_not_in_the_text()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}']);
            var input = await StringInput.ReadAsync(file, TextReader.Null, CancellationToken.None);
            Assert.AreEqual("{}", input.Text, "token columns on line 1 are not shifted by the BOM");
            CollectionAssert.AreEqual(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' }, input.Encode(input.Text), "an in-place rewrite keeps the BOM");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void Format_comes_from_input_extension_then_output_extension_then_text_unless_forced()
    {
        var json = new StringInput(StringInputKind.File, "/tmp/appsettings.json", "{}");
        var stdin = new StringInput(StringInputKind.Stdin, StringInput.StdinName, "x");
        Assert.AreEqual(DocumentFormat.Json, json.FormatFor(DocumentFormat.Auto, OutputTarget.Parse("stdout")));
        Assert.AreEqual(DocumentFormat.Yaml, json.FormatFor(DocumentFormat.Yaml, OutputTarget.Parse("stdout")));
        Assert.AreEqual(DocumentFormat.Xml, stdin.FormatFor(DocumentFormat.Auto, OutputTarget.Parse("/tmp/web.config")));
        Assert.AreEqual(DocumentFormat.Text, stdin.FormatFor(DocumentFormat.Auto, OutputTarget.Parse("stdout")));
        Assert.AreEqual(DocumentFormat.Text, new StringInput(StringInputKind.File, "/tmp/app.env", "").FormatFor(DocumentFormat.Auto, OutputTarget.Parse("/tmp/out.json")));
    }

    [TestMethod]
    public void Same_path_for_input_and_output_is_in_place()
    {
        var input = new StringInput(StringInputKind.File, Path.GetFullPath("a.yaml"), "");
        Assert.IsTrue(input.IsSameFileAs(OutputTarget.Parse("./a.yaml")));
        Assert.IsFalse(input.IsSameFileAs(OutputTarget.Parse("stdout")));
    }

    [TestMethod]
    public void Format_names_parse_case_insensitively()
    {
        Assert.IsTrue(DocumentFormats.TryParse("YML", out var yaml));
        Assert.AreEqual(DocumentFormat.Yaml, yaml);
        Assert.IsFalse(DocumentFormats.TryParse("toml", out _));
        Assert.AreEqual(DocumentFormat.Xml, DocumentFormats.FromExtension("web.CONFIG"));
    }
}
