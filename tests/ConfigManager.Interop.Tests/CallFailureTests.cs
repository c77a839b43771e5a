using ConfigManager.Core.Diagnostics;
using ConfigManager.Core.Resolution;
using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>A call that fails gets a coded error for that request only; secret values never appear.</summary>
[TestClass]
public sealed class CallFailureTests
{
    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Plugin_error_names_prefix_token_and_the_plugins_message(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("error/access denied to app/db"));
        Assert.AreEqual("CM2030", ex.Code);
        StringAssert.Contains(ex.Message, run.Prefix);
        StringAssert.Contains(ex.Message, "token error/access denied to app/db");
        StringAssert.Contains(ex.Message, ": access denied to app/db");
        Assert.AreEqual("ok", await run.ValueAsync("echo/ok"), "the plugin keeps serving after an error");
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Unknown_behaviour_is_a_plugin_error(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("what/ever"));
        Assert.AreEqual("CM2030", ex.Code);
        StringAssert.Contains(ex.Message, "unknown behaviour: what/ever");
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Plugin_error_text_is_redacted(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        var secret = await run.ValueAsync("echo/Pa55-word-xyz");
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("error/bad Pa55-word-xyz"));
        Assert.IsFalse(ex.Message.Contains(secret, StringComparison.Ordinal), ex.Message);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Hanging_call_hits_the_per_call_timeout(TestPluginKind kind, bool mtls)
    {
        // The timeout also bounds the follow-up call, so it gets seconds of margin for a busy machine (was 0.3 s).
        await using var run = HostRun.Start(kind, mtls, configure: o => o with { CallTimeout = TimeSpan.FromSeconds(4) });
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("sleep/120000"));
        Assert.AreEqual("CM2031", ex.Code);
        StringAssert.Contains(ex.Message, "4 s");
        Assert.AreEqual("fast", await run.ValueAsync("echo/fast"));
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Value_over_the_configured_limit_is_CM2034(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls, configure: o => o with { MaxValueBytes = 1024 * 1024 });
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("large/2000000"));
        Assert.AreEqual("CM2034", ex.Code, ex.Message);
        Assert.AreEqual(1000, (await run.ValueAsync("large/1000")).Length);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Crash_mid_call_fails_that_request_only_and_other_prefixes_still_answer(TestPluginKind kind, bool mtls)
    {
        var binary = TestPlugins.BinaryPath(kind);
        using var layout = PluginLayout.WithSymlink(TestPlugins.Prefix(kind), binary);
        layout.InstallSymlink("OTHER", binary);
        await using var run = HostRun.Create(kind, layout, binary, mtls);
        Assert.AreEqual("warm", await run.ValueAsync("echo/warm"));
        var slow = run.Host.GetValueAsync(new ValueRequest("OTHER", "sleep/300", ""), CancellationToken.None);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("crash/now"));
        Assert.AreEqual("CM2032", ex.Code, ex.Message);
        StringAssert.Contains(ex.Message, "exit code 3");
        StringAssert.Contains(ex.Message, "token crash/now");
        Assert.AreEqual("slept 300", await slow);
        Assert.AreEqual("still here", await run.Host.GetValueAsync(new ValueRequest("OTHER", "echo/still here", ""), CancellationToken.None));

        // Later calls to the crashed prefix fail fast with the same code, without relaunching.
        var again = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("echo/x"));
        Assert.AreEqual("CM2032", again.Code);
        Assert.AreEqual(2, run.Host.LaunchCount);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Crash_before_the_first_answer_is_CM2032(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        var ex = await Assert.ThrowsExactlyAsync<ConfigManagerException>(() => run.ValueAsync("crash/first"));
        Assert.AreEqual("CM2032", ex.Code, ex.Message);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Secret_values_never_reach_errors_or_logs(TestPluginKind kind, bool mtls)
    {
        const string secret = "s3cr3t-json";
        var run = HostRun.Start(kind, mtls);
        var messages = new List<string>();
        var json = await run.ValueAsync("json/app");
        StringAssert.Contains(json, secret);
        run.Mask.Add(secret);
        foreach (var token in new[] { "error/" + secret, "sleep/notanumber", "log/x", "crash/x" })
        {
            try
            {
                await run.ValueAsync(token);
            }
            catch (ConfigManagerException ex)
            {
                messages.Add(ex.ToString());
            }
        }

        await run.DisposeAsync();
        Assert.AreEqual(3, messages.Count);
        foreach (var text in messages.Append(run.Log.AllText))
        {
            Assert.IsFalse(text.Contains(secret, StringComparison.Ordinal), text);
        }
    }
}
