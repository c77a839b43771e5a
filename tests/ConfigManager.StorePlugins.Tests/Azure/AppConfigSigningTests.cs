using System.Text;
using ConfigManager.Plugins.AzAppConfig;
using ConfigManager.TestSupport.LocalServers.Azure;

namespace ConfigManager.StorePlugins.Tests.Azure;

/// <summary>The AZAPPCONF HMAC-SHA256 signer against Microsoft's documented example and the test server's independent verifier.</summary>
[TestClass]
public sealed class AppConfigSigningTests
{
    // rest-api-authentication-hmac, "String-To-Sign" example: GET /kv?fields=*&api-version=1.0 on {myconfig}.azconfig.io at
    // Fri, 11 May 2018 18:48:36 GMT, empty body. The key is ours (the page gives none); the expected signature was
    // computed with openssl (openssl dgst -sha256 -mac HMAC -macopt hexkey:...), not with this code.
    private const string DocumentedDate = "Fri, 11 May 2018 18:48:36 GMT";
    private const string EmptyBodyHash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    private static readonly byte[] s_key = Encoding.ASCII.GetBytes("configmanager-documented-example-secret");

    [TestMethod]
    public void Documented_example_string_to_sign_and_signature_are_reproduced()
    {
        var stringToSign = HmacRequestSigner.StringToSign("get", "/kv?fields=*&api-version=1.0", DocumentedDate, "myconfig.azconfig.io", HmacRequestSigner.ContentHash([]));

        Assert.AreEqual(EmptyBodyHash, HmacRequestSigner.ContentHash([]));
        Assert.AreEqual($"GET\n/kv?fields=*&api-version=1.0\n{DocumentedDate};myconfig.azconfig.io;{EmptyBodyHash}", stringToSign);
        Assert.AreEqual("70vkIhg4hXVK8jZjFxOY43E3+mcBo0XG0LgwjqmQX84=", HmacRequestSigner.Signature(s_key, stringToSign));
    }

    [TestMethod]
    public void Signed_request_has_the_documented_headers_and_passes_the_servers_check()
    {
        var now = DateTimeOffset.Parse("2018-05-11T18:48:36Z", System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://myconfig.azconfig.io/kv/App%3ADb%2FHost?label=prod&api-version=1.0");

        HmacRequestSigner.Sign(request, "id-1", s_key, now);

        Assert.AreEqual(DocumentedDate, request.Headers.GetValues("x-ms-date").Single());
        Assert.AreEqual(EmptyBodyHash, request.Headers.GetValues("x-ms-content-sha256").Single());
        Assert.AreEqual("HMAC-SHA256", request.Headers.Authorization!.Scheme);
        StringAssert.StartsWith(request.Headers.Authorization.Parameter, "Credential=id-1&SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=");
        string? Header(string name) => name == "host" ? "myconfig.azconfig.io" : request.Headers.TryGetValues(name, out var values) ? values.Single() : null;
        var authorization = request.Headers.Authorization.ToString();
        Assert.IsNull(AppConfigHmacVerifier.Verify(authorization, "GET", "/kv/App%3ADb%2FHost?label=prod&api-version=1.0", Header, [], "id-1", s_key, now));
        Assert.AreEqual("Invalid Signature", AppConfigHmacVerifier.Verify(authorization, "GET", "/kv/App%3ADb%2FHost?label=dev&api-version=1.0", Header, [], "id-1", s_key, now));
        Assert.AreEqual("Invalid Signature", AppConfigHmacVerifier.Verify(authorization, "GET", "/kv/App%3ADb%2FHost?label=prod&api-version=1.0", Header, [], "id-1", [.. s_key, 1], now));
        Assert.AreEqual("The access token has expired", AppConfigHmacVerifier.Verify(authorization, "GET", "/kv/App%3ADb%2FHost?label=prod&api-version=1.0", Header, [], "id-1", s_key, now.AddMinutes(16)));
    }
}
