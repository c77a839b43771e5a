using System.Net.Http.Headers;
using System.Text;
using ConfigManager.Plugins.AwsSecrets.Signing;

namespace ConfigManager.StorePlugins.Tests.Aws;

/// <summary>
/// The AWSSECRETS plugin's SigV4 signer against AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite,
/// docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html): the same credentials, date, region and service,
/// and the suite's canonical request, string to sign and Authorization header, byte for byte. moto does not check
/// signatures, so these vectors are what proves the signing.
/// </summary>
[TestClass]
public sealed class SecretsSigV4Tests
{
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
    private static readonly AwsSigningCredentials s_suite = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset s_when = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [TestMethod]
    public void Get_vanilla_matches_the_suite()
    {
        var signature = Sign(HttpMethod.Get, "https://example.amazonaws.com/");
        Assert.AreEqual("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyHash, signature.CanonicalRequest);
        Assert.AreEqual(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signature.StringToSign);
        Assert.AreEqual(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            signature.Authorization);
    }

    [TestMethod]
    public void Get_vanilla_query_order_key_case_sorts_the_query()
    {
        var signature = Sign(HttpMethod.Get, "https://example.amazonaws.com/?Param2=value2&Param1=value1");
        StringAssert.StartsWith(signature.CanonicalRequest, "GET\n/\nParam1=value1&Param2=value2\n");
        StringAssert.EndsWith(signature.Authorization, "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    [TestMethod]
    public void Post_vanilla_matches_the_suite()
    {
        var signature = Sign(HttpMethod.Post, "https://example.amazonaws.com/");
        Assert.AreEqual(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            signature.Authorization);
    }

    [TestMethod]
    public void Post_x_www_form_urlencoded_signs_the_body_and_its_content_type()
    {
        var signature = Sign(HttpMethod.Post, "https://example.amazonaws.com/", "Param1=value1", "application/x-www-form-urlencoded");
        Assert.AreEqual(
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            + "content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            signature.CanonicalRequest);
        Assert.AreEqual(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            signature.StringToSign);
        Assert.AreEqual(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            signature.Authorization);
    }

    [TestMethod]
    public void Post_x_www_form_urlencoded_parameters_keeps_the_charset()
    {
        var signature = Sign(HttpMethod.Post, "https://example.amazonaws.com/", "Param1=value1", "application/x-www-form-urlencoded; charset=utf8");
        StringAssert.EndsWith(signature.Authorization, "SignedHeaders=content-type;host;x-amz-date, Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe");
    }

    [TestMethod]
    public void Post_header_key_sort_and_value_case_sign_extra_headers_sorted()
    {
        var sorted = Sign(HttpMethod.Post, "https://example.amazonaws.com/", headers: [("My-Header1", "value1")]);
        StringAssert.EndsWith(sorted.Authorization, "SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c");
        var valueCase = Sign(HttpMethod.Post, "https://example.amazonaws.com/", headers: [("My-Header1", "VALUE1")]);
        StringAssert.EndsWith(valueCase.Authorization, "Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
    }

    [TestMethod]
    public void Get_header_value_trim_collapses_white_space()
    {
        var signature = Sign(HttpMethod.Get, "https://example.amazonaws.com/", headers: [("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")]);
        StringAssert.Contains(signature.CanonicalRequest, "my-header1:value1\nmy-header2:\"a b c\"\n");
        StringAssert.EndsWith(signature.Authorization, "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    }

    [TestMethod]
    public void Post_sts_header_before_signs_the_session_token()
    {
        const string token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        var signature = SigV4Signer.Sign(request, [], s_suite with { SessionToken = token }, "us-east-1", "service", s_when);
        Assert.AreEqual(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
            signature.Authorization);
        Assert.AreEqual(token, request.Headers.GetValues("X-Amz-Security-Token").Single());
    }

    [TestMethod]
    public void Normalize_path_vectors_remove_dot_and_empty_segments_and_encode_once()
    {
        StringAssert.EndsWith(Sign(HttpMethod.Get, "https://example.amazonaws.com/example1/example2/../..").Authorization, "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        StringAssert.EndsWith(Sign(HttpMethod.Get, "https://example.amazonaws.com//example//").Authorization, "Signature=9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84");
        StringAssert.EndsWith(Sign(HttpMethod.Get, "https://example.amazonaws.com/example space/").Authorization, "Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
        StringAssert.EndsWith(Sign(HttpMethod.Get, "https://example.amazonaws.com/example/$delete").Authorization, "Signature=a853c9b21b528b19643d00910d35b83a10c366a10833ceefb45edd6c80e40f27");
    }

    [TestMethod]
    public void Signing_key_matches_the_documented_iam_example()
    {
        // "Signing AWS API requests": the derived key for 20150830/us-east-1/iam with the suite's secret key.
        Assert.AreEqual(
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
            Convert.ToHexStringLower(SigV4Signer.SigningKey(s_suite.SecretAccessKey, "20150830", "us-east-1", "iam")));
    }

    [TestMethod]
    public void Credentials_print_without_the_secret_key_or_token()
    {
        var text = (s_suite with { SessionToken = "session-token-value" }).ToString();
        Assert.IsFalse(text.Contains(s_suite.SecretAccessKey, StringComparison.Ordinal), text);
        Assert.IsFalse(text.Contains("session-token-value", StringComparison.Ordinal), text);
        StringAssert.Contains(text, "AKIDEXAMPLE");
    }

    private static SigV4Signature Sign(HttpMethod method, string url, string? body = null, string? contentType = null, (string Name, string Value)[]? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return SigV4Signer.Sign(request, bytes, s_suite, "us-east-1", "service", s_when);
    }
}
