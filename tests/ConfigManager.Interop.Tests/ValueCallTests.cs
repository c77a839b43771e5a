using ConfigManager.TestSupport;

namespace ConfigManager.Interop.Tests;

/// <summary>The host against a real plugin process: values, metadata, size, concurrency, health, logs.</summary>
[TestClass]
public sealed class ValueCallTests
{
    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Echo_returns_the_store_path_and_raw_metadata(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        Assert.AreEqual("app/db", await run.ValueAsync("/echo/app/db"));
        Assert.AreEqual("app/db#version=2,label=ü", await run.ValueAsync("echo/app/db", "version=2,label=ü"));
        Assert.AreEqual(1, run.Host.LaunchCount);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Json_value_comes_back_verbatim(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        Assert.AreEqual(
            "{\"user\":\"alice\",\"password\":\"s3cr3t-json\",\"nested\":{\"port\":5432,\"enabled\":true},\"list\":[1,2]}",
            await run.ValueAsync("json/app"));
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task A_32_MB_value_is_received_whole(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        var value = await run.ValueAsync("large/33554432");
        Assert.AreEqual(33554432, value.Length);
        Assert.IsTrue(value.AsSpan().IndexOfAnyExcept('x') < 0);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Plugin_inherits_the_host_environment(TestPluginKind kind, bool mtls)
    {
        Environment.SetEnvironmentVariable("CMTEST_INHERITED", "from-the-host");
        try
        {
            await using var run = HostRun.Start(kind, mtls);
            Assert.AreEqual("from-the-host", await run.ValueAsync("env/CMTEST_INHERITED"));
            Assert.AreEqual("configmanager-plugin-hello", await run.ValueAsync("env/CONFIGMANAGER_PLUGIN"));
            Assert.AreEqual("1", await run.ValueAsync("env/PLUGIN_PROTOCOL_VERSIONS"));
            Assert.AreEqual("10000", await run.ValueAsync("env/PLUGIN_MIN_PORT"));
            Assert.AreEqual("25000", await run.ValueAsync("env/PLUGIN_MAX_PORT"));

            // The one deliberate change: a private, per-launch socket folder (go-plugin < 1.5 uses TMPDIR).
            var socketDir = await run.ValueAsync("env/TMPDIR");
            Assert.AreEqual(socketDir, await run.ValueAsync("env/PLUGIN_UNIX_SOCKET_DIR"));
            StringAssert.StartsWith(socketDir, Path.Combine(Path.GetTempPath(), "cmplugin-"));
            if (mtls)
            {
                StringAssert.StartsWith(await run.ValueAsync("env/PLUGIN_CLIENT_CERT"), "-----BEGIN CERTIFICATE-----");
            }
            else
            {
                var ex = await Assert.ThrowsExactlyAsync<Core.Diagnostics.ConfigManagerException>(() => run.ValueAsync("env/PLUGIN_CLIENT_CERT"));
                Assert.AreEqual("CM2030", ex.Code);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("CMTEST_INHERITED", null);
        }
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Concurrent_first_calls_launch_exactly_one_process(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        var calls = Enumerable.Range(0, 64).Select(i => run.ValueAsync(i % 8 == 0 ? "sleep/50" : $"echo/{i}")).ToArray();
        var values = await Task.WhenAll(calls);
        Assert.AreEqual(1, run.Host.LaunchCount);
        Assert.AreEqual("1", values[1]);
        Assert.AreEqual("slept 50", values[8]);
        Assert.AreEqual(1, ProcessTable.Find(run.Binary).Count);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Health_check_reports_serving(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        Assert.IsTrue(await run.Host.IsServingAsync(run.Prefix, CancellationToken.None));
        Assert.AreEqual(1, run.Host.LaunchCount, "the health check reuses the prefix's process");
        Assert.AreEqual("after", await run.ValueAsync("echo/after"));
        Assert.AreEqual(1, run.Host.LaunchCount);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Plugin_stderr_is_logged_with_hclog_levels_when_the_run_ends(TestPluginKind kind, bool mtls)
    {
        var run = HostRun.Start(kind, mtls);
        Assert.AreEqual("logged", await run.ValueAsync("log/now"));
        await run.DisposeAsync();
        var lines = run.Log.Entries;
        Assert.IsTrue(lines.Any(l => l.Level == Core.Logging.LogLevel.Info && l.Message.Contains("plugin info line", StringComparison.Ordinal)), run.Log.AllText);
        Assert.IsTrue(lines.Any(l => l.Level == Core.Logging.LogLevel.Warn && l.Message.Contains("plugin warn line", StringComparison.Ordinal)), run.Log.AllText);
        Assert.IsTrue(lines.Any(l => l.Level == Core.Logging.LogLevel.Error && l.Message.EndsWith("plugin error line", StringComparison.Ordinal)), run.Log.AllText);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Plugin_log_lines_are_redacted_with_values_learnt_after_they_were_written(TestPluginKind kind, bool mtls)
    {
        var run = HostRun.Start(kind, mtls);
        Assert.AreEqual("logged", await run.ValueAsync("log/now"));

        // The secret becomes known only after the plugin logged it: buffering per run still hides it.
        run.Mask.Add("warn line");
        await run.DisposeAsync();
        Assert.IsFalse(run.Log.AllText.Contains("warn line", StringComparison.Ordinal), run.Log.AllText);
        Assert.IsTrue(run.Log.AllText.Contains("plugin info line", StringComparison.Ordinal), run.Log.AllText);
    }

    [TestMethod]
    [DynamicData(nameof(InteropMatrix.KindsAndMtls), typeof(InteropMatrix))]
    public async Task Returned_values_are_added_to_the_mask(TestPluginKind kind, bool mtls)
    {
        await using var run = HostRun.Start(kind, mtls);
        var value = await run.ValueAsync("echo/hunter2-value");
        Assert.AreEqual("before *** after", run.Mask.Redact($"before {value} after"));
    }
}
