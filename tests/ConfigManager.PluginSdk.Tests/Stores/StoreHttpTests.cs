using System.Net;
using System.Net.Http.Headers;
using ConfigManager.PluginSdk.Stores;

namespace ConfigManager.PluginSdk.Tests.Stores;

/// <summary>StoreHttp: status classes and the server's retry delay, as REST store plugins read them.</summary>
[TestClass]
public sealed class StoreHttpTests
{
    [TestMethod]
    [DataRow(400, StoreFailureKind.InvalidRequest)]
    [DataRow(422, StoreFailureKind.InvalidRequest)]
    [DataRow(401, StoreFailureKind.AccessDenied)]
    [DataRow(403, StoreFailureKind.AccessDenied)]
    [DataRow(404, StoreFailureKind.NotFound)]
    [DataRow(408, StoreFailureKind.Timeout)]
    [DataRow(429, StoreFailureKind.Throttled)]
    [DataRow(500, StoreFailureKind.Unavailable)]
    [DataRow(503, StoreFailureKind.Unavailable)]
    public void Status_codes_map_to_failure_kinds(int status, StoreFailureKind kind) =>
        Assert.AreEqual(kind, StoreHttp.KindOf((HttpStatusCode)status));

    [TestMethod]
    public void Retry_After_in_seconds_is_read()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        Assert.AreEqual(TimeSpan.FromSeconds(7), StoreHttp.RetryAfter(response));
    }

    [TestMethod]
    public void Retry_After_as_a_date_is_the_time_left_until_then()
    {
        var now = new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(30));

        Assert.AreEqual(TimeSpan.FromSeconds(30), StoreHttp.RetryAfter(response, new FixedTime(now)));
        Assert.AreEqual(TimeSpan.Zero, StoreHttp.RetryAfter(response, new FixedTime(now.AddMinutes(5))));
    }

    [TestMethod]
    [DataRow("retry-after-ms")]
    [DataRow("x-ms-retry-after-ms")]
    public void Millisecond_headers_win_over_Retry_After(string header)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(9));
        response.Headers.TryAddWithoutValidation(header, "1250");

        Assert.AreEqual(TimeSpan.FromMilliseconds(1250), StoreHttp.RetryAfter(response));
    }

    [TestMethod]
    public void No_header_means_no_requested_delay()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("x-ms-retry-after-ms", "soon");

        Assert.IsNull(StoreHttp.RetryAfter(response));
    }

    [TestMethod]
    public void Failure_carries_kind_status_delay_and_remedy()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));

        var failure = StoreHttp.Failure(response, "reading key app:db of store cfg", "Lower the request rate or raise the store's tier.");

        Assert.AreEqual(StoreFailureKind.Throttled, failure.Kind);
        Assert.AreEqual(TimeSpan.FromSeconds(2), failure.RetryAfter);
        Assert.IsTrue(failure.IsTransient);
        Assert.AreEqual("reading key app:db of store cfg (HTTP 429). Lower the request rate or raise the store's tier.", failure.Message);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
