using ConfigManager.Core.Resolution;

namespace ConfigManager.Core.Tests.Resolution;

[TestClass]
public sealed class KeyLookupTests
{
    private const string Value = """{"foo":"bar","key1":{"key2":"val","num":123,"flag":true,"obj":{"a":[1,2]}},"list":[{"id":"x"}],"quote":"a\"b\\c"}""";

    private static string Find(string value, string key)
    {
        Assert.IsTrue(KeyLookup.TryFind(value, key, out var result, out var code, out var problem), $"{code} {problem}");
        return result;
    }

    [TestMethod]
    public void Nested_string_comes_back_unquoted() => Assert.AreEqual("val", Find(Value, "key1.key2"));

    [TestMethod]
    public void Number_bool_and_object_come_back_as_json_text()
    {
        Assert.AreEqual("123", Find(Value, "key1.num"));
        Assert.AreEqual("true", Find(Value, "key1.flag"));
        Assert.AreEqual("""{"a":[1,2]}""", Find(Value, "key1.obj"));
    }

    [TestMethod]
    public void Key_is_found_at_any_depth_like_recursive_descent()
    {
        Assert.AreEqual("val", Find(Value, "key2"));
        Assert.AreEqual("[1,2]", Find(Value, "obj.a"));
        Assert.AreEqual("x", Find(Value, "id"));
        Assert.AreEqual("2", Find(Value, "a.1"));
    }

    [TestMethod]
    public void Escaped_string_is_unescaped() => Assert.AreEqual("a\"b\\c", Find(Value, "quote"));

    [TestMethod]
    public void Missing_key_is_CM3002_and_problem_never_contains_the_value()
    {
        Assert.IsFalse(KeyLookup.TryFind("""{"user":"s3cr3t-value"}""", "noprop", out _, out var code, out var problem));
        Assert.AreEqual("CM3002", code);
        Assert.IsFalse(problem.Contains("s3cr3t", StringComparison.Ordinal));
        StringAssert.Contains(problem, "noprop");
    }

    [TestMethod]
    public void Several_matches_are_CM3003()
    {
        Assert.IsFalse(KeyLookup.TryFind("""{"a":{"id":1},"b":{"id":2}}""", "id", out _, out var code, out _));
        Assert.AreEqual("CM3003", code);
    }

    [TestMethod]
    public void Non_json_value_with_a_key_path_is_CM3004_and_problem_never_contains_the_value()
    {
        foreach (var value in new[] { """foo":"bar","key1":{"key2":123}}""", "plain-s3cr3t", "\"just a string\"", "42" })
        {
            Assert.IsFalse(KeyLookup.TryFind(value, "key1", out _, out var code, out var problem), value);
            Assert.AreEqual("CM3004", code, value);
            Assert.IsFalse(problem.Contains(value, StringComparison.Ordinal), value);
        }
    }

    [TestMethod]
    public void Json_nested_deeper_than_64_levels_is_called_too_deep_not_not_JSON()
    {
        var deep = new string('[', 70) + "{\"k\":1}" + new string(']', 70);

        Assert.IsFalse(KeyLookup.TryFind(deep, "k", out _, out var code, out var problem));

        Assert.AreEqual(ResolutionErrorCodes.ValueNotJson, code);
        StringAssert.Contains(problem, "nested deeper than 64 levels");
        Assert.IsFalse(KeyLookup.TryFind("{not json", "k", out _, out _, out var broken));
        StringAssert.Contains(broken, "the value is not JSON");
    }
}
